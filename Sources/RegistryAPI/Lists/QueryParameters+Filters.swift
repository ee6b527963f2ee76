import Postgres
import RegistryCore
import Routing

/// The API's query strings feed the list-query builders shared with the HTML view (RegistryCore
/// `Lists/`): one implementation of every filter.
extension QueryParameters {
    /// The decoded items, in order, for the shared builders.
    public var filterValues: FilterValues {
        FilterValues(items.map { FilterValues.Item(name: $0.name, value: $0.value) })
    }
}

extension ListFilters {
    public init(_ query: QueryParameters) {
        self.init(query.filterValues)
    }
}

extension ListParameters {
    public static func parse(_ query: QueryParameters, defaultPerPage: Int = 10) throws(RegistryError) -> ListParameters {
        try parse(query.filterValues, defaultPerPage: defaultPerPage)
    }
}

extension WorkItemListQuery {
    init(_ query: QueryParameters, caller: Caller, sort: String?) throws(RegistryError) {
        try self.init(query.filterValues, caller: caller, sort: sort)
    }
}

extension EventListQuery {
    /// API-45 / API-45a: the names an event list or export accepts.
    static let spec = QuerySpec(filters.union(ListParameters.names), repeatable: repeatable)

    init(_ query: QueryParameters, pathInstitution: Bool, defaultSort: EventSort = .date) throws(RegistryError) {
        try self.init(query.filterValues, pathInstitution: pathInstitution, defaultSort: defaultSort)
    }
}
