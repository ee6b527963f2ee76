/// The query parameters of a list request, decoded, in order, repeated names kept: what the shared
/// list-query builders read. The API and the HTML view both fill it from the query string, so each
/// filter has exactly one implementation (html.md §4: lists take the API's filter names).
public struct FilterValues: Sendable {
    public struct Item: Sendable {
        public let name: String
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    public let items: [Item]

    public init(_ items: [Item]) {
        self.items = items
    }

    /// Every value given for `name`, in order (empty values included).
    public func values(_ name: String) -> [String] {
        items.filter { $0.name == name }.map(\.value)
    }

    /// The first value given for `name`, or nil when absent.
    public func first(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    public func contains(_ name: String) -> Bool {
        items.contains { $0.name == name }
    }

    /// The distinct names, in order of first appearance.
    public var names: [String] {
        var seen: Set<String> = []
        return items.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    /// A copy without the parameters named (e.g. the paging ones).
    public func removing(_ excluded: Set<String>) -> FilterValues {
        FilterValues(items.filter { !excluded.contains($0.name) })
    }
}
