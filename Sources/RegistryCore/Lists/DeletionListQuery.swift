import Postgres

/// The conditions of a deletion request list (api-v2.md #39), shared by `GET /api/v2/deletions`
/// and the HTML `/deletions` page: `institution`, `status` (with the derived `expired`, domain.md
/// §8.6), `kind`, `requested_after`/`requested_before`; non-admins their institution's only.
public struct DeletionListQuery: Sendable {
    public static let filterNames: Set<String> = ["institution", "status", "kind", "requested_after", "requested_before"]
    public static let repeatable: Set<String> = ["institution", "status"]

    /// The tables the conditions name: `d` the request, `i` its institution, `ru`/`iu`/`au`/`cu`
    /// the requester, the approvers and the canceller.
    public static let from: PGQuery = """
         FROM deletion_requests d
        JOIN institutions i ON i.id = d.institution_id
        JOIN users ru ON ru.id = d.requested_by_id
        LEFT JOIN users iu ON iu.id = d.inst_approver_id
        LEFT JOIN users au ON au.id = d.aptrust_approver_id
        LEFT JOIN users cu ON cu.id = d.cancelled_by_id
        """

    /// The shown status: a waiting request whose token has expired is `expired`.
    public static let statusColumn: PGQuery = """
        CASE WHEN d.status IN ('requested', 'institution_approved') AND d.token_expires_at <= now()
             THEN 'expired' ELSE d.status END
        """

    public let clause: WhereClause

    /// Newest request first, then id. Route #39 lists no sort values, so every `sort` is a 400
    /// (API-46: only the listed values).
    public init(_ query: FilterValues, caller: Caller, sort: String?) throws(RegistryError) {
        if let sort { throw .badRequest("invalid sort: \(sort)") }
        var filters = ListFilters(query)
        if let condition = try InstitutionFilter(filters).condition(column: "d.institution_id") {
            filters.clause.add(condition)
        }
        if let status = try Self.statusCondition(filters.values(["status"])) { filters.clause.add(status) }
        try filters.vocabulary("kind", column: "d.kind", allowed: Vocabulary.deletionKind)
        try filters.range(after: "requested_after", before: "requested_before", column: "d.requested_at")
        if !caller.isAdmin {
            // DOM-93: another institution named in the filter simply matches nothing.
            filters.clause.add("d.institution_id = \(caller.institutionID)")
        }
        clause = filters.clause
    }

    /// One page with the given columns (tables as in `from`), newest request first, then id (sort
    /// `date`), and its count.
    public func page(selectList: PGQuery, limit: Int, offset: Int) -> ListSQL {
        ListSQL(select: selectList, from: Self.from, where: clause, orderBy: " ORDER BY d.requested_at DESC, d.id DESC",
                limit: limit, offset: offset)
    }

    /// `status` values (repeatable, API-45a) as one OR condition on the shown status, in which a
    /// waiting request whose token has expired is `expired` and no longer `requested` or
    /// `institution_approved` (domain.md §8.6).
    public static func statusCondition(_ values: [String]) throws(RegistryError) -> PGQuery? {
        guard !values.isEmpty else { return nil }
        var condition: PGQuery = "false"
        for value in values {
            switch value {
            case "expired":
                condition.append(" OR (d.status IN ('requested', 'institution_approved') AND d.token_expires_at <= now())")
            case "requested":
                condition.append(" OR (d.status = 'requested' AND d.token_expires_at > now())")
            case "institution_approved":
                condition.append(" OR (d.status = 'institution_approved' AND d.token_expires_at > now())")
            case "approved": condition.append(" OR d.status = 'approved'")
            case "completed": condition.append(" OR d.status = 'completed'")
            case "cancelled": condition.append(" OR d.status = 'cancelled'")
            default: throw .badRequest("invalid value for status: \(value)")
            }
        }
        return condition
    }
}
