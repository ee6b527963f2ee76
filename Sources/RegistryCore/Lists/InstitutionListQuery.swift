import Postgres

/// The conditions of an institution list (api-v2.md §10.1), shared by the API and `/institutions`:
/// filters `identifier`, `receiving_bucket`, `type`, `state`; non-admins receive only their own.
public enum InstitutionListQuery {
    public static let filterNames: Set<String> = ["identifier", "receiving_bucket", "type", "state"]

    /// Conditions on `i` (the institution); the only sort is `name`.
    public static func scope(_ query: FilterValues, caller: Caller, sort: String?) throws(RegistryError) -> WhereClause {
        if let sort, sort != "name" { throw .badRequest("invalid sort: \(sort)") }
        var filters = ListFilters(query)
        filters.exact("identifier", column: "i.identifier")
        filters.exact("receiving_bucket", column: "i.receiving_bucket")
        try filters.vocabulary("type", column: "i.type", allowed: Vocabulary.institutionType)
        try filters.vocabulary("state", column: "i.state", allowed: Vocabulary.state)
        if !caller.isAdmin {
            filters.clause.add("i.id = \(caller.institutionID)")
        }
        return filters.clause
    }

    /// One page of `from` (which starts with ` FROM institutions i`; the count needs no other
    /// table) under `clause`, by name, then id.
    public static func page(selectList: PGQuery, from: PGQuery, _ clause: WhereClause, limit: Int, offset: Int) -> ListSQL {
        ListSQL(select: selectList, from: from, countFrom: " FROM institutions i", where: clause,
                orderBy: " ORDER BY i.name, i.id", limit: limit, offset: offset)
    }
}
