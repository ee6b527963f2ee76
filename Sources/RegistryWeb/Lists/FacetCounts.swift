import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Facet values with or without counts (html.md WEB-27): counts only when the result set is
/// tenant-scoped (a non-admin, or an admin with an institution filter); otherwise every value is
/// listed without a count, since counting across every institution would scan the whole table.
struct Facet {
    let name: String
    let label: String
    /// (value, label, count or nil).
    var values: [(value: String, label: String, count: Int?)]

    /// The template context: each value a link adding that filter (or marked as active).
    func context(_ list: WebListRequest) -> [String: Any] {
        ["label": label, "id": "facet-" + name,
         "values": values.map { value -> [String: Any] in
             // Every key is always set: Mustache looks a missing key up in the enclosing contexts.
             ["label": value.label, "href": list.adding(name, value.value), "active": list.has(name, value.value),
              "count": value.count.map { Display.grouped(Int64($0)) } ?? false]
         }]
    }
}

/// One GROUP BY GROUPING SETS query counts every facet dimension in a single scan of the filtered
/// rows (cheaper than one query per facet), and the total falls out of any one dimension.
enum FacetQuery {
    /// `count(*)` of at most `cap` rows of `from` + `whereSQL`, for lists too large to count
    /// exactly on every page (html.md WEB-28).
    static func cappedCount(from: StaticString, whereSQL: PGQuery, cap: Int, on connection: PGConnection) throws -> Int {
        var sql: PGQuery = "SELECT count(*) FROM (SELECT 1 FROM "
        sql.appendUnescaped(from)
        sql.append(whereSQL)
        sql.append(" LIMIT \(cap)) capped")
        return try connection.query(sql).int(0, 0) ?? 0
    }

    /// `dimensions` are column expressions (StaticString, from source code). Returns per dimension
    /// the (value, count) pairs, in `dimensions` order.
    static func counts(dimensions: [StaticString], from: StaticString, whereSQL: PGQuery,
                       on connection: PGConnection) throws -> [[(value: String, count: Int)]] {
        var sql: PGQuery = "SELECT "
        for (index, dimension) in dimensions.enumerated() {
            sql.appendUnescaped(dimension)
            sql.appendUnescaped("::text, ")
            sql.appendUnescaped("GROUPING(")
            sql.appendUnescaped(dimension)
            sql.appendUnescaped(index == dimensions.count - 1 ? "), " : "), ")
        }
        sql.appendUnescaped("count(*) FROM ")
        sql.appendUnescaped(from)
        sql.append(whereSQL)
        sql.appendUnescaped(" GROUP BY GROUPING SETS (")
        for (index, dimension) in dimensions.enumerated() {
            sql.appendUnescaped(index == 0 ? "(" : ", (")
            sql.appendUnescaped(dimension)
            sql.appendUnescaped(")")
        }
        sql.appendUnescaped(")")
        let result = try connection.query(sql)
        var counts = Array(repeating: [(value: String, count: Int)](), count: dimensions.count)
        let countColumn = dimensions.count * 2
        for row in 0..<result.rowCount {
            for index in dimensions.indices where try result.int(row, index * 2 + 1) == 0 {
                counts[index].append((result.string(row, index * 2) ?? "", try result.int(row, countColumn) ?? 0))
            }
        }
        return counts
    }
}
