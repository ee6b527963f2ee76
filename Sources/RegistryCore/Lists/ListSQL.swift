import Postgres

/// The two statements of one list page (api-v2.md API-41..44), shared by the API lists and the
/// HTML pages:
///
///     rows:  SELECT <select list><from><where><order by> LIMIT <limit> OFFSET <offset>
///     count: SELECT count(*)<count from, else from><where>
///
/// Both texts depend only on the caller's columns and on which filters are present, never on
/// their values (those are bound parameters), so each filter combination is one prepared
/// statement per connection.
public struct ListSQL: Sendable {
    public let rows: PGQuery
    public let count: PGQuery
    /// The rows with the count as one more, last column: `SELECT <select list>, (SELECT count(*)
    /// <count from><where>) <from><where><order by> LIMIT … OFFSET …`. One statement, so the count
    /// and the rows come from the same snapshot (API-44: the count is exact even while rows are
    /// being inserted) and one round trip instead of two. The subquery is uncorrelated: PostgreSQL
    /// runs it once (an InitPlan) with its own plan and indexes, and the rows keep their order and
    /// LIMIT. It yields no count when the page is empty (`ListPage` then knows or asks).
    public let rowsWithCount: PGQuery

    /// - Parameters:
    ///   - from: starts with ` FROM`; every table the select list, the conditions and the order need.
    ///   - countFrom: the tables the conditions need when that is fewer than `from` (joins made
    ///     only for the select list or the order would just slow the count down); nil = `from`.
    ///   - orderBy: starts with ` ORDER BY` and ends with `id` (API-46).
    ///   - limit: a list reads `per_page + 1` rows: the extra one only tells there is a next page
    ///     (API-43).
    public init(select selectList: PGQuery, from: PGQuery, countFrom: PGQuery? = nil, where clause: WhereClause,
                orderBy: PGQuery, limit: Int, offset: Int) {
        let whereSQL = clause.sql
        var rows: PGQuery = "SELECT "
        rows.append(selectList)
        rows.append(from)
        rows.append(whereSQL)
        rows.append(orderBy)
        rows.append(" LIMIT \(limit) OFFSET \(offset)")
        self.rows = rows
        var count: PGQuery = "SELECT count(*)"
        count.append(countFrom ?? from)
        count.append(whereSQL)
        self.count = count
        var combined: PGQuery = "SELECT "
        combined.append(selectList)
        combined.append(", (")
        combined.append(count)
        combined.append(")")
        combined.append(from)
        combined.append(whereSQL)
        combined.append(orderBy)
        combined.append(" LIMIT \(limit) OFFSET \(offset)")
        self.rowsWithCount = combined
    }
}

extension ListSQL {
    /// One page and the exact count, from one statement (`rowsWithCount`: one snapshot, one round
    /// trip); the count is the rows' extra last column, which row readers never look at. Only an
    /// empty page past the first needs a separate count.
    public func pageAndCount(offset: Int, on connection: PGConnection) throws -> (rows: PGResult, count: Int) {
        let rows = try connection.query(rowsWithCount)
        if let count = try Self.count(ofRowsWithCount: rows, offset: offset) { return (rows, count) }
        return (rows, try connection.query(count).int(0, 0) ?? 0)
    }

    /// The count a `rowsWithCount` result carries, or nil for an empty page past the first, whose
    /// count needs the separate `count` statement.
    public static func count(ofRowsWithCount rows: PGResult, offset: Int) throws -> Int? {
        if rows.rowCount > 0 { return try rows.int(0, rows.columnCount - 1) ?? 0 }
        return offset == 0 ? 0 : nil
    }
}
