import RegistryAPI
import Testing

/// Rules every route definition must follow.
@Suite("Route table rules")
struct RouteTableTests {
    /// `action` is repeatable only as the work items' alias of `item_action`; the audit log's own
    /// `action` filter (AUD-70) is no API-45a filter and may not repeat.
    static let notRepeatable: [String: Set<String>] = ["audit.log": ["action"]]

    @Test("API-45a: wherever a list or export takes one of the repeatable filters, it may repeat")
    func repeatableFilters() {
        for route in APIRouteTable.all where route.query.names.contains("page") || route.query.names.contains("format") {
            let offered = route.query.names.intersection(QuerySpec.repeatableFilters)
                .subtracting(Self.notRepeatable[route.name] ?? [])
            let missing = offered.subtracting(route.query.repeatable)
            #expect(missing.isEmpty, "\(route.name) does not let \(missing.sorted()) repeat")
            let forbidden = route.query.repeatable.intersection(Self.notRepeatable[route.name] ?? [])
            #expect(forbidden.isEmpty, "\(route.name) lets \(forbidden.sorted()) repeat")
        }
    }
}
