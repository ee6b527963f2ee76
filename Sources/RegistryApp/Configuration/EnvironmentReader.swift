/// Reads typed settings from the environment, turning every bad value into a
/// `ConfigurationError` that names the variable (operations.md OPS-2).
///
/// A variable that is set to the empty string counts as set, and is invalid: an empty value is
/// almost always a deployment mistake (`DATABASE_URL=` meaning "unset" would silently start an
/// embedded cluster).
struct EnvironmentReader {
    let environment: [String: String]

    /// A plain decimal integer (ASCII digits only: no sign, spaces, `_`, `1e3`) in `range`.
    func integer(_ name: String, in range: ClosedRange<Int>, default defaultValue: Int) throws(ConfigurationError) -> Int {
        guard let text = environment[name] else { return defaultValue }
        let expectation = range.upperBound == Int.max
            ? "must be an integer of at least \(range.lowerBound)"
            : "must be an integer between \(range.lowerBound) and \(range.upperBound)"
        guard let value = Self.plainInteger(text), range.contains(value) else {
            throw ConfigurationError(variable: name, problem: "\(expectation), got \(Self.quoted(text))")
        }
        return value
    }

    /// `true` or `false`, exactly.
    func boolean(_ name: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        try optionalBoolean(name) ?? defaultValue
    }

    /// `true` or `false`, or nil when unset.
    func optionalBoolean(_ name: String) throws(ConfigurationError) -> Bool? {
        guard let text = environment[name] else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default: throw ConfigurationError(variable: name, problem: "must be true or false, got \(Self.quoted(text))")
        }
    }

    /// One of the enumeration's raw values, exactly.
    func choice<Choice: RawRepresentable & CaseIterable>(_ name: String, default defaultValue: Choice) throws(ConfigurationError) -> Choice
    where Choice.RawValue == String {
        guard let text = environment[name] else { return defaultValue }
        guard let value = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError(variable: name, problem: "must be one of \(allowed), got \(Self.quoted(text))")
        }
        return value
    }

    /// A non-empty text accepted by `problem` (which returns nil for a good value). Secret
    /// values are not quoted in the error.
    func text(_ name: String, secret: Bool = false, problem: (String) -> String?) throws(ConfigurationError) -> String? {
        guard let text = environment[name] else { return nil }
        guard !text.isEmpty else { throw ConfigurationError(variable: name, problem: "must not be empty") }
        if let found = problem(text) {
            throw ConfigurationError(variable: name, problem: secret ? found : "\(found), got \(Self.quoted(text))")
        }
        return text
    }

    /// A PostgreSQL URL; the value is never quoted, as it may hold a password (OPS-3). Empty is
    /// unset (the embedded cluster, no replica): `DATABASE_URL=` is how an environment file or a
    /// harness says "none".
    func databaseURL(_ name: String) throws(ConfigurationError) -> DatabaseURL? {
        guard let text = environment[name], !text.isEmpty else { return nil }
        do {
            return try DatabaseURL(parsing: text)
        } catch {
            throw ConfigurationError(
                variable: name,
                problem: "must be a valid postgres:// or postgresql:// URL, but it \(error.problem) (value not shown: it may hold a password)"
            )
        }
    }

    /// ASCII digits only; nil for anything else, including values beyond `Int.max`.
    private static func plainInteger(_ text: String) -> Int? {
        guard !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        return Int(text)
    }

    /// The value in double quotes with control characters escaped, so the message stays one line.
    private static func quoted(_ text: String) -> String {
        String(reflecting: text)
    }
}
