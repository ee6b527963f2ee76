import Postgres

/// Conditions of a list query, joined with AND. Every value goes in as a bound parameter (PGQuery
/// interpolation), so filters can never inject SQL.
public struct WhereClause: Sendable {
    private var conditions: [PGQuery] = []

    public init() {}

    public mutating func add(_ condition: PGQuery) {
        conditions.append(condition)
    }

    public var isEmpty: Bool { conditions.isEmpty }

    /// ` WHERE a AND b`, or nothing.
    public var sql: PGQuery {
        var query: PGQuery = ""
        for (index, condition) in conditions.enumerated() {
            query.appendUnescaped(index == 0 ? " WHERE (" : " AND (")
            query.append(condition)
            query.appendUnescaped(")")
        }
        return query
    }
}

/// API-47: case-insensitive substring match with `%`, `_` and `\` taken literally.
public enum LikePattern {
    /// nil when the value means "no filter" (`*` or `%` alone, [Compat]).
    public static func contains(_ value: String) -> String? {
        if value == "*" || value == "%" { return nil }
        // By Unicode scalar, not by Character: `%` followed by a combining mark is ONE Character
        // that equals none of the three, and would reach ILIKE unescaped, as a wildcard.
        var escaped = String.UnicodeScalarView()
        escaped.append("%")
        for scalar in value.unicodeScalars {
            if scalar == "\\" || scalar == "%" || scalar == "_" { escaped.append("\\") }
            escaped.append(scalar)
        }
        escaped.append("%")
        return String(escaped)
    }
}
