/// The path parameters of a matched route, kept raw (undecoded) until a handler asks
/// (api-v2.md API-1: route first, then decode each parameter segment).
///
/// Asking for a name the route does not declare is a programming error and traps.
public struct RouteParameters: Sendable {
    // Parallel arrays: a route has at most a few parameters, so a linear scan beats hashing
    // and `names` is shared with the route table rather than copied per request.
    private let names: [String]
    private let rawValues: [Substring]

    /// - Parameters:
    ///   - names: parameter names in path order.
    ///   - rawValues: the raw segment for each name (for a wildcard, the raw remainder).
    public init(names: [String], rawValues: [Substring]) {
        precondition(names.count == rawValues.count, "one raw value per parameter name")
        self.names = names
        self.rawValues = rawValues
    }

    /// No parameters (routes without `{…}` segments).
    public static let none = RouteParameters(names: [], rawValues: [])

    /// The parameter names of the route, in path order.
    public var parameterNames: [String] { names }

    /// The raw segment exactly as sent (`%2F` still encoded); for a `{name...}` wildcard, the raw
    /// remainder of the path without its trailing `/`. Nil when the route has no such parameter.
    public func raw(_ name: String) -> Substring? {
        guard let position = names.firstIndex(of: name) else { return nil }
        return rawValues[position]
    }

    /// The parameter percent-decoded; `+` stays `+` (API-1, API-2, API-4 first lookup).
    public func decoded(_ name: String) throws(PathDecodingError) -> String {
        try PercentDecoding.decode(required(name))
    }

    /// The parameter with every literal `+` of the raw text read as a space, then percent-decoded,
    /// so `%2B` is still `+`. Only for the [Compat] retry of API-4, after the literal lookup failed.
    public func decodedPlusAsSpace(_ name: String) throws(PathDecodingError) -> String {
        do {
            return try PercentDecoding.decodeFormComponent(required(name))
        } catch {
            throw PathDecodingError(error)
        }
    }

    /// Whether the raw parameter contains a literal `+` (API-4: only then is the retry made).
    public func containsLiteralPlus(_ name: String) -> Bool {
        required(name).containsASCII(UInt8(ascii: "+"))
    }

    /// The parameter as a non-negative integer: ASCII digits only (no sign, no escapes) that fit
    /// in Int64; nil otherwise.
    public func int64(_ name: String) -> Int64? {
        let raw = required(name)
        guard !raw.isEmpty, raw.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        return Int64(raw)
    }

    private func required(_ name: String) -> Substring {
        guard let value = raw(name) else {
            preconditionFailure("route has no parameter named \(name); it has \(names)")
        }
        return value
    }
}
