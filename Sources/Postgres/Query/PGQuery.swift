/// A SQL statement with its parameters, written as a string literal with interpolations:
///
///     let q: PGQuery = "SELECT id FROM objects WHERE identifier = \(identifier) AND state = \(state)"
///
/// Every interpolated value becomes a bound parameter (`$1`, `$2`, …), never SQL text, so SQL
/// injection is impossible by construction. The literal parts are `StaticString`s: SQL text can only
/// come from source code. Raw SQL fragments (e.g. an ORDER BY column chosen from a fixed list) go in
/// through `appendUnescaped(_:)` / `\(unescaped:)`, which also accept only `StaticString`.
/// Fragments compose with `append(_:)` / `\(fragment)`, which renumber the other query's parameters.
public struct PGQuery: Sendable, ExpressibleByStringInterpolation {
    public typealias StringLiteralType = StaticString

    /// SQL text between parameters: `segments.count == bindings.count + 1`, and the statement is
    /// `segments[0] $1 segments[1] $2 …`. Keeping placeholders implicit is what lets `append`
    /// renumber without parsing SQL.
    private var segments: [String]
    /// The encoded parameter values.
    public private(set) var bindings: PGBindings

    public init(stringLiteral value: StaticString) {
        segments = [String(staticString: value)]
        bindings = PGBindings()
    }

    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.query
    }

    /// The SQL text with `$n` placeholders, as sent to the server.
    public var sql: String {
        var text = segments[0]
        for index in 1..<segments.count {
            text += "$\(index)"
            text += segments[index]
        }
        return text
    }

    /// Appends `other`, renumbering its parameters after this query's.
    public mutating func append(_ other: PGQuery) {
        segments[segments.count - 1] += other.segments[0]
        segments.append(contentsOf: other.segments.dropFirst())
        bindings.append(contentsOf: other.bindings)
    }

    /// Appends trusted SQL text from source code (identifiers, keywords, operators).
    public mutating func appendUnescaped(_ sql: StaticString) {
        segments[segments.count - 1] += String(staticString: sql)
    }

    /// Appends a `$n` placeholder bound to `value`.
    public mutating func appendBinding(_ value: some PGEncodable) {
        bindings.append(value)
        segments.append("")
    }

    /// Builds a query from literal parts and interpolated values.
    public struct StringInterpolation: StringInterpolationProtocol {
        public typealias StringLiteralType = StaticString
        fileprivate var query: PGQuery

        public init(literalCapacity: Int, interpolationCount: Int) {
            query = PGQuery(stringLiteral: "")
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            query.appendUnescaped(literal)
        }

        /// A bound parameter.
        public mutating func appendInterpolation(_ value: some PGEncodable) {
            query.appendBinding(value)
        }

        /// A bound parameter that may be SQL NULL. (A separate overload so the compiler does not
        /// warn that an Optional is interpolated: here that is intended and means NULL.)
        public mutating func appendInterpolation<Value: PGEncodable>(_ value: Value?) {
            query.appendBinding(value)
        }

        /// A nested query fragment, with its own parameters renumbered.
        public mutating func appendInterpolation(_ fragment: PGQuery) {
            query.append(fragment)
        }

        /// Trusted SQL text from source code.
        public mutating func appendInterpolation(unescaped sql: StaticString) {
            query.appendUnescaped(sql)
        }
    }
}

private extension String {
    init(staticString: StaticString) {
        self = staticString.withUTF8Buffer { String(decoding: $0, as: UTF8.self) }
    }
}
