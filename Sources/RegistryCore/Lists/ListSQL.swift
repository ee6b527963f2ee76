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
    }
}
