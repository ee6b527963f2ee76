import RegistryAPI
import RegistryCore
import RegistryWeb
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

    @Test("every signed-in HTML route has a web.* entry; every web.* entry names an HTML route")
    func everyWebRouteCovered() {
        let signedIn = WebRouteTable.all.filter { $0.access == .signedIn }.map { "web." + $0.name }
            + WebRouteTable.bridgedNames.map { "web." + $0 }
        let missing = signedIn.filter { PermissionTable.roles[$0] == nil }
        #expect(missing.isEmpty, "HTML routes without permission entries: \(missing.sorted())")
        let stale = Set(PermissionTable.roles.keys.filter { $0.hasPrefix("web.") }).subtracting(signedIn)
        #expect(stale.isEmpty, "web.* entries without an HTML route: \(stale.sorted())")
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
