import RegistryAPI
import RegistryCore
import Testing

/// The permission table covers every route, and nothing else (fail closed, issue 4).
@Suite("Permission table coverage")
struct PermissionTableTests {
    @Test("every API route has an entry in the permission table; every API entry names a route")
    func everyRouteCovered() {
        let routeNames = Set(APIRouteTable.all.map(\.name))
        let missing = routeNames.filter { PermissionTable.roles[$0] == nil }
        #expect(missing.isEmpty, "routes without permission entries: \(missing.sorted())")
        let apiEntries = Set(PermissionTable.roles.keys.filter { !$0.hasPrefix("web.") })
        let stale = apiEntries.subtracting(routeNames)
        #expect(stale.isEmpty, "permission entries without a route: \(stale.sorted())")
    }

    @Test("route names are unique")
    func uniqueNames() {
        let names = APIRouteTable.all.map(\.name)
        #expect(Set(names).count == names.count)
    }

    @Test("an unknown route is denied to every role (fail closed)")
    func unknownRouteDenied() {
        #expect(PermissionTable.roles(for: "no.such.route").isEmpty)
    }
}
