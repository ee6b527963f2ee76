import Postgres

/// The `institution` filter of every list (api-v2.md API-45a, API-49): the ONE reading and
/// resolving of `institution` and its alias `institution_identifier` (each value an institution
/// identifier or a numeric id) and of `institution_id` (numeric ids only; another value is a 400).
/// Repeated values mean "any of"; empty values are ignored.
public struct InstitutionFilter: Sendable, Equatable {
    /// The values that are not numeric ids, as sent.
    public let identifiers: [String]
    /// The numeric ids, as sent.
    public let ids: [Int64]

    public var isEmpty: Bool { identifiers.isEmpty && ids.isEmpty }
    /// How many different values were given (an institution named by identifier and by id counts
    /// twice: it is not resolved here).
    public var distinctCount: Int { Set(identifiers).count + Set(ids).count }

    /// - Parameters:
    ///   - names: `institution` and the aliases the list accepts (`institution_identifier`).
    ///   - idName: `institution_id` where the list accepts it.
    public init(_ filters: ListFilters, names: [String] = ["institution"], idName: String? = nil) throws(RegistryError) {
        var identifiers: [String] = []
        var ids: [Int64] = []
        for value in filters.values(names) {
            // An institution identifier is a domain name (DOM-10), never all digits.
            if let id = NumericID.parse(value) { ids.append(id) } else { identifiers.append(value) }
        }
        if let idName {
            for value in filters.values([idName]) {
                guard let id = NumericID.parse(value) else { throw .badRequest("invalid integer for \(idName): \(value)") }
                ids.append(id)
            }
        }
        self.identifiers = identifiers
        self.ids = ids
    }

    /// A condition on `column` (an `institution_id`) resolved inside the statement, nil without a
    /// filter; unknown institutions match nothing (API-49). One value stays an equality
    /// (`= $n`, or `= (SELECT id …)` for an identifier) so a per-institution index serves it as
    /// for any single-valued filter (see `ListFilters.addOneOrAny`); don't "simplify" it to `ANY`.
    public func condition(column: StaticString) -> PGQuery? {
        guard !isEmpty else { return nil }
        var condition: PGQuery = ""
        condition.appendUnescaped(column)
        switch (identifiers.count, ids.count) {
        case (0, 1): condition.append(" = \(ids[0])")
        case (1, 0): condition.append(" = (SELECT id FROM institutions WHERE identifier = \(identifiers[0]))")
        default:
            condition.append(" = ANY(ARRAY(SELECT id FROM institutions WHERE identifier = ANY(\(identifiers)) OR id = ANY(\(ids))))")
        }
        return condition
    }

    /// `condition(column:)` with the caller's visibility: for a non-admin another institution is
    /// the same as an unknown one (DOM-93, DOM-96a) also where a visible parent lifts the tenant
    /// scope (DOM-94: another institution's `consortia` object named in a filter), so the list is
    /// empty, as an event list's is (`visibleIDs`). Resolved inside the statement, like `condition`.
    public func condition(column: StaticString, caller: Caller) -> PGQuery? {
        guard !caller.isAdmin else { return condition(column: column) }
        guard !isEmpty else { return nil }
        var condition: PGQuery = ""
        condition.appendUnescaped(column)
        // At most one row: the caller's own institution, when the filter names it.
        condition.append(" = (SELECT id FROM institutions WHERE (identifier = ANY(\(identifiers)) OR id = ANY(\(ids)))")
        condition.append(" AND id = \(caller.institutionID))")
        return condition
    }

    /// The statement that finds the named institutions' ids (unknown ones have no row).
    private var idsQuery: PGQuery {
        "SELECT id FROM institutions WHERE identifier = ANY(\(identifiers)) OR id = ANY(\(ids))"
    }

    /// The named institutions the caller may see (domain.md §7.2: non-admins only their own),
    /// ascending, each once; empty when none is known or visible.
    public func visibleIDs(caller: Caller, on connection: PGConnection) throws -> [Int64] {
        guard !isEmpty else { return [] }
        let result = try connection.query(idsQuery)
        var found = Set<Int64>()
        for row in 0..<result.rowCount {
            // Another institution is, for a non-admin, the same as an unknown one (DOM-93).
            if let id = try result.int64(row, 0), caller.isAdmin || id == caller.institutionID { found.insert(id) }
        }
        return found.sorted()
    }
}
