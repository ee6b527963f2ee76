import RegistryAPI
import Testing

/// Rules every route definition must follow.
@Suite("Route table rules")
struct RouteTableTests {
    @Test("API-45a: wherever a list or export takes one of the repeatable filters, it may repeat")
    func repeatableFilters() {
        for route in APIRouteTable.all where route.query.names.contains("page") || route.query.names.contains("format") {
            let offered = route.query.names.intersection(QuerySpec.repeatableFilters)
            let missing = offered.subtracting(route.query.repeatable)
            #expect(missing.isEmpty, "\(route.name) does not let \(missing.sorted()) repeat")
        }
    }
}
