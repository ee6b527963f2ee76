import Formats
import Postgres

/// Turns list filters (query parameters) into SQL conditions with the rules every list shares
/// (api-v2.md API-45..48): empty values are ignored, unparsable values are a 400 naming the
/// parameter, `*_like` is a case-insensitive literal substring, `*_after` inclusive and
/// `*_before` exclusive, booleans exactly `true`/`false`, and the repeatable filters of API-45a
/// mean "any of".
public struct ListFilters {
    public let query: FilterValues
    public var clause = WhereClause()

    public init(_ query: FilterValues) {
        self.query = query
    }

    /// Non-empty values of the first name and its aliases, in order.
    public func values(_ names: [String]) -> [String] {
        names.flatMap { query.values($0) }.filter { !$0.isEmpty }
    }

    public func value(_ names: String...) -> String? {
        values(names).first
    }

    /// `column = value` (or `= ANY(values)` when repeated).
    public mutating func exact(_ names: String..., column: StaticString) {
        addOneOrAny(column: column, values(names))
    }

    /// A closed-vocabulary filter: every value must be valid (400 naming the parameter).
    public mutating func vocabulary(_ names: String..., column: StaticString, allowed: Set<String>) throws(RegistryError) {
        let given = values(names)
        for value in given where !allowed.containsExactly(value) {
            throw .badRequest("invalid value for \(names[0]): \(value)")
        }
        addOneOrAny(column: column, given)
    }

    /// `column = value` for one value, `column = ANY(values)` for several (API-45a "any of");
    /// nothing for none. A single value stays `=`, not `= ANY(array)`: a partial index whose
    /// predicate names the column can then serve the query even under a generic prepared plan.
    public mutating func addOneOrAny(column: StaticString, _ given: [String]) {
        guard !given.isEmpty else { return }
        var condition: PGQuery = ""
        condition.appendUnescaped(column)
        if given.count == 1 {
            condition.append(" = \(given[0])")
        } else {
            condition.append(" = ANY(\(given))")
        }
        clause.add(condition)
    }

    /// `column ILIKE %value%` with `%`, `_`, `\` literal (API-47).
    public mutating func like(_ name: String, column: StaticString) {
        guard let value = value(name), let pattern = LikePattern.contains(value) else { return }
        var condition: PGQuery = ""
        condition.appendUnescaped(column)
        condition.append(" ILIKE \(pattern)")
        clause.add(condition)
    }

    /// `*_after` (inclusive) and `*_before` (exclusive) on a timestamp column (API-48).
    public mutating func range(after: String, before: String, column: StaticString) throws(RegistryError) {
        if let start = try timestamp(after) {
            var condition: PGQuery = ""
            condition.appendUnescaped(column)
            condition.append(" >= \(start)")
            clause.add(condition)
        }
        if let end = try timestamp(before) {
            var condition: PGQuery = ""
            condition.appendUnescaped(column)
            condition.append(" < \(end)")
            clause.add(condition)
        }
    }

    /// A date parameter: RFC 3339 or `YYYY-MM-DD` (API-48); nil when absent or empty, and for the
    /// Go zero time, which DOM-3 makes "absent" wherever a timestamp is input (a Go client sends it
    /// for a `time.Time` it never set).
    public func timestamp(_ name: String) throws(RegistryError) -> Timestamp? {
        guard let text = value(name) else { return nil }
        guard let timestamp = Timestamp(queryDate: text) else { throw .badRequest("invalid date for \(name): \(text)") }
        return timestamp.isGoZeroTime ? nil : timestamp
    }

    /// A boolean parameter: exactly `true` or `false`.
    public func boolean(_ name: String) throws(RegistryError) -> Bool? {
        guard let text = value(name) else { return nil }
        guard let flag = Bool(exactly: text) else { throw .badRequest("invalid boolean for \(name): \(text)") }
        return flag
    }

    /// An integer parameter (plain decimal digits).
    public func integer(_ name: String) throws(RegistryError) -> Int64? {
        guard let text = value(name) else { return nil }
        guard let number = NumericID.parse(text) else {
            throw .badRequest("invalid integer for \(name): \(text)")
        }
        return number
    }
}
