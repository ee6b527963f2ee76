import Formats
import Postgres

/// The SQL of `GET /items` (api-v2.md API-105): filters, tenant scoping (DOM-93) and sort.
///
/// Index note: the workers' queue poller (`queued=false&status=Pending&retry=true&node_empty=true`)
/// must be served by the partial index `work_items_queue_poll_idx` (status, retry, date DESC, id
/// DESC) WHERE queued_at IS NULL AND node IS NULL. Two choices here keep that true for the generic
/// plan PostgreSQL adopts for a prepared statement after five executions: `queued=false` and
/// `node_empty=true` are literal `IS NULL` SQL text (a bound value could not prove the index
/// predicate), and a single `status` value is `= $n`, not `= ANY($n)` (with an array the index
/// cannot deliver rows in date order, so every poll would sort). Do not "simplify" either away.
public struct WorkItemListQuery: Sendable {
    public static let filterNames: Set<String> = [
        "node", "node_empty", "node_not_empty", "pid", "pid_empty", "pid_not_empty",
        "institution", "institution_id", "name", "name_like", "etag", "etag_like", "object_identifier",
        "object_identifier_like", "file_identifier", "generic_file_identifier", "file_identifier_like", "item_action",
        "action", "stage", "status", "queued", "retry", "needs_admin_review", "bag_date", "created_after",
        "created_before", "updated_after", "updated_before", "updated_since",
    ]
    /// API-45a: "any of" filters (aliases count as their filter).
    public static let repeatable: Set<String> = ["institution", "institution_id", "item_action", "action", "stage", "status"]

    public let clause: WhereClause
    public let sort: Sort

    /// ` WHERE …` of `clause`, for the HTML page's facet counts.
    public var whereSQL: PGQuery { clause.sql }

    public enum Sort: String, Sendable {
        case date, name, created, institution
    }

    public init(_ query: FilterValues, caller: Caller, sort: String?) throws(RegistryError) {
        guard let chosen = Sort(rawValue: sort ?? "date") else { throw .badRequest("invalid sort: \(sort ?? "")") }
        self.sort = chosen
        var filters = ListFilters(query)
        // `institution` (identifier or numeric id) and `institution_id`, any of them (API-45a).
        if let condition = try InstitutionFilter(filters, idName: "institution_id").condition(column: "w.institution_id") {
            filters.clause.add(condition)
        }
        filters.exact("name", column: "w.name")
        filters.like("name_like", column: "w.name")
        filters.exact("etag", column: "w.etag")
        filters.like("etag_like", column: "w.etag")
        filters.exact("object_identifier", column: "w.object_identifier")
        filters.like("object_identifier_like", column: "w.object_identifier")
        filters.exact("file_identifier", "generic_file_identifier", column: "w.generic_file_identifier")
        filters.like("file_identifier_like", column: "w.generic_file_identifier")
        try Self.vocabulary(&filters, ["item_action", "action"], column: "w.action", allowed: Vocabulary.workItemAction)
        try Self.vocabulary(&filters, ["stage"], column: "w.stage", allowed: Vocabulary.workItemStage)
        try Self.vocabulary(&filters, ["status"], column: "w.status", allowed: Vocabulary.workItemStatus)
        try Self.nullTest(&filters, "queued", whenTrue: "w.queued_at IS NOT NULL", whenFalse: "w.queued_at IS NULL")
        filters.exact("node", column: "w.node")
        try Self.nullTest(&filters, "node_empty", whenTrue: "w.node IS NULL", whenFalse: "w.node IS NOT NULL")
        try Self.nullTest(&filters, "node_not_empty", whenTrue: "w.node IS NOT NULL", whenFalse: "w.node IS NULL")
        // `pid` is an integer column: compared as int8 (the btree's cross-type operator), so a
        // value beyond 32 bits matches nothing instead of failing to bind (22003).
        if let pid = try filters.integer("pid") { filters.clause.add("w.pid = \(pid)::int8") }
        try Self.nullTest(&filters, "pid_empty", whenTrue: "w.pid = 0", whenFalse: "w.pid <> 0")
        try Self.nullTest(&filters, "pid_not_empty", whenTrue: "w.pid <> 0", whenFalse: "w.pid = 0")
        if let retry = try filters.boolean("retry") { filters.clause.add("w.retry = \(retry)") }
        if let review = try filters.boolean("needs_admin_review") { filters.clause.add("w.needs_admin_review = \(review)") }
        try Self.bagDate(&filters)
        try filters.range(after: "created_after", before: "created_before", column: "w.created_at")
        try filters.range(after: "updated_after", before: "updated_before", column: "w.updated_at")
        if let since = try filters.timestamp("updated_since") { filters.clause.add("w.updated_at >= \(since)") }
        if !caller.isAdmin {
            // DOM-93: tenant scoping is a condition of the query, never a filter on fetched rows.
            filters.clause.add("w.institution_id = \(caller.institutionID)")
        }
        clause = filters.clause
    }

    /// One page of rows (`limit` = per_page + 1, API-43) with the given columns (`w` is the work
    /// item, `ws` its state row), and the count, which needs neither join.
    public func page(selectList: PGQuery, limit: Int, offset: Int) -> ListSQL {
        var from: PGQuery = " FROM work_items w LEFT JOIN work_item_states ws ON ws.work_item_id = w.id"
        if sort == .institution { from.append(" JOIN institutions i ON i.id = w.institution_id") }
        let orderBy: PGQuery = switch sort {
        case .date: " ORDER BY w.date DESC, w.id DESC"
        case .name: " ORDER BY w.name, w.id"
        case .created: " ORDER BY w.created_at DESC, w.id DESC"
        case .institution: " ORDER BY i.identifier, w.id"
        }
        return ListSQL(select: selectList, from: from, countFrom: " FROM work_items w", where: clause, orderBy: orderBy,
                       limit: limit, offset: offset)
    }

    /// A closed-vocabulary filter; a single value is `= $n` (see the index note above).
    private static func vocabulary(_ filters: inout ListFilters, _ names: [String], column: StaticString,
                                   allowed: Set<String>) throws(RegistryError) {
        for name in names {
            for value in filters.query.values(name) where !value.isEmpty && !allowed.containsExactly(value) {
                throw .badRequest("invalid value for \(name): \(value)")
            }
        }
        filters.addOneOrAny(column: column, filters.values(names))
    }

    /// A boolean filter answered by literal SQL (`IS NULL` tests must be literal for partial indexes).
    private static func nullTest(_ filters: inout ListFilters, _ name: String, whenTrue: StaticString,
                                 whenFalse: StaticString) throws(RegistryError) {
        guard let flag = try filters.boolean(name) else { return }
        var condition: PGQuery = ""
        condition.appendUnescaped(flag ? whenTrue : whenFalse)
        filters.clause.add(condition)
    }

    /// `bag_date`: every item whose bag date falls within that second.
    private static func bagDate(_ filters: inout ListFilters) throws(RegistryError) {
        guard let given = try filters.timestamp("bag_date") else { return }
        let micros = given.microseconds
        let floored = micros - ((micros % 1_000_000) + 1_000_000) % 1_000_000
        let start = Timestamp(checkedMicroseconds: floored) ?? Timestamp.minimum
        let end = start.adding(microseconds: 1_000_000) ?? Timestamp.maximum
        filters.clause.add("w.bag_date >= \(start) AND w.bag_date < \(end)")
    }
}
