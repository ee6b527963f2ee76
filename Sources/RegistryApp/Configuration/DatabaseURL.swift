import Routing

/// A PostgreSQL connection URI, `postgres[ql]://[user[:password]@][host[:port][,…]][/dbname][?key=value&…]`,
/// as libpq reads it (PostgreSQL docs §34.1.1.2). The text is kept exactly as given, because
/// the Postgres layer hands it to libpq; the parsed parts serve validation (operations.md OPS-2)
/// and redaction (OPS-3).
///
/// `description` and `debugDescription` are the redacted form, so interpolating a
/// `DatabaseURL` into a log line cannot leak the password.
public struct DatabaseURL: Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// One `host[:port]` of the host list; an empty name means libpq's default (a Unix socket).
    public struct Host: Sendable, Equatable {
        /// Percent-decoded (a socket directory may be written `%2Fvar%2Frun%2Fpostgresql`);
        /// an IPv6 literal without its brackets.
        public let name: String
        public let port: Int?

        public init(name: String, port: Int?) {
            self.name = name
            self.port = port
        }
    }

    /// One `key=value` of the query, percent-decoded (`+` is not a space for libpq).
    public struct Parameter: Sendable, Equatable {
        public let name: String
        public let value: String

        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The URI exactly as configured: pass this to libpq.
    public let string: String
    /// `postgres` or `postgresql`.
    public let scheme: String
    public let user: String?
    public let password: String?
    public let hosts: [Host]
    public let database: String?
    public let parameters: [Parameter]
    /// The URI with the password (in the user info or a `password=` parameter) replaced by
    /// `[redacted]`.
    public let redacted: String

    public var description: String { redacted }
    public var debugDescription: String { redacted }

    /// Parses `text`. The error never quotes the text, which may hold a password.
    public init(parsing text: String) throws(DatabaseURLError) {
        var parser = DatabaseURLParser(text)
        string = text
        scheme = try parser.scheme()
        (user, password) = try parser.userInfo()
        hosts = try parser.hosts()
        database = try parser.database()
        parameters = try parser.parameters()
        redacted = parser.redacted
    }

    /// The first port given, or nil for libpq's default (5432).
    public var port: Int? { hosts.first?.port }

    /// The first host name given, or nil when none was.
    public var host: String? { hosts.first?.name }
}

/// Why a database URL does not parse; the text is safe to print (it never quotes the URL).
public struct DatabaseURLError: Error, Sendable, Equatable, CustomStringConvertible {
    public let problem: String

    public init(_ problem: String) {
        self.problem = problem
    }

    public var description: String { problem }
}

/// A one-pass reader over the URI, in the order libpq reads it, building the redacted text
/// as it goes.
private struct DatabaseURLParser {
    private let text: Substring
    private var rest: Substring
    private(set) var redacted = ""

    init(_ text: String) {
        self.text = text[...]
        self.rest = text[...]
    }

    mutating func scheme() throws(DatabaseURLError) -> String {
        for scheme in ["postgresql", "postgres"] where rest.hasPrefix(scheme + "://") {
            rest = rest.dropFirst(scheme.count + 3)
            redacted = scheme + "://"
            return scheme
        }
        throw DatabaseURLError("does not start with postgres:// or postgresql://")
    }

    /// libpq takes user info when an `@` comes before the first `/`.
    mutating func userInfo() throws(DatabaseURLError) -> (user: String?, password: String?) {
        guard let stop = rest.firstIndex(where: { $0 == "@" || $0 == "/" }), rest[stop] == "@" else {
            return (nil, nil)
        }
        let info = rest[..<stop]
        rest = rest[rest.index(after: stop)...]
        guard let colon = info.firstIndex(of: ":") else {
            redacted += info + "@"
            return (try decode(info, "user name"), nil)
        }
        let rawUser = info[..<colon]
        redacted += rawUser + ":[redacted]@"
        return (try decode(rawUser, "user name"), try decode(info[info.index(after: colon)...], "password"))
    }

    mutating func hosts() throws(DatabaseURLError) -> [DatabaseURL.Host] {
        let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
        let hostList = rest[..<end]
        rest = rest[end...]
        redacted += hostList
        guard !hostList.isEmpty else { return [] }
        var hosts: [DatabaseURL.Host] = []
        for entry in hostList.split(separator: ",", omittingEmptySubsequences: false) {
            hosts.append(try host(entry))
        }
        return hosts
    }

    mutating func database() throws(DatabaseURLError) -> String? {
        guard rest.first == "/" else { return nil }
        let end = rest.firstIndex(of: "?") ?? rest.endIndex
        let rawName = rest[rest.index(after: rest.startIndex)..<end]
        redacted += rest[..<end]
        rest = rest[end...]
        return rawName.isEmpty ? nil : try decode(rawName, "database name")
    }

    mutating func parameters() throws(DatabaseURLError) -> [DatabaseURL.Parameter] {
        guard rest.first == "?" else {
            guard rest.isEmpty else { throw DatabaseURLError("has unexpected text after the host") }
            return []
        }
        let query = rest.dropFirst()
        rest = rest[rest.endIndex...]
        redacted += "?"
        guard !query.isEmpty else { return [] }
        var parameters: [DatabaseURL.Parameter] = []
        var redactedPieces: [String] = []
        for piece in query.split(separator: "&", omittingEmptySubsequences: false) {
            guard let equals = piece.firstIndex(of: "="), equals != piece.startIndex else {
                throw DatabaseURLError("has a query parameter that is not key=value")
            }
            let name = try decode(piece[..<equals], "query parameter name")
            let value = try decode(piece[piece.index(after: equals)...], "query parameter \(name)")
            parameters.append(DatabaseURL.Parameter(name: name, value: value))
            redactedPieces.append(name == "password" ? piece[..<equals] + "=[redacted]" : String(piece))
        }
        redacted += redactedPieces.joined(separator: "&")
        return parameters
    }

    private func host(_ entry: Substring) throws(DatabaseURLError) -> DatabaseURL.Host {
        let name: String
        let afterName: Substring
        if entry.first == "[" {
            guard let close = entry.firstIndex(of: "]") else { throw DatabaseURLError("has an IPv6 host without its closing ]") }
            let literal = entry[entry.index(after: entry.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else {
                throw DatabaseURLError("has an invalid IPv6 host")
            }
            name = String(literal)
            afterName = entry[entry.index(after: close)...]
        } else {
            let colon = entry.firstIndex(of: ":") ?? entry.endIndex
            name = try decode(entry[..<colon], "host")
            afterName = entry[colon...]
        }
        guard !afterName.isEmpty else { return DatabaseURL.Host(name: name, port: nil) }
        guard afterName.first == ":" else { throw DatabaseURLError("has unexpected text after an IPv6 host") }
        let rawPort = afterName.dropFirst()
        guard !rawPort.isEmpty, rawPort.allSatisfy({ $0.isASCII && $0.isNumber }), let port = Int(rawPort), (1...65535).contains(port) else {
            throw DatabaseURLError("has a port that is not an integer between 1 and 65535")
        }
        return DatabaseURL.Host(name: name, port: port)
    }

    private func decode(_ raw: Substring, _ part: String) throws(DatabaseURLError) -> String {
        // libpq's own rules: %XX only, no `+` as space, no %00; we also require UTF-8.
        do {
            return try PercentDecoding.decode(raw)
        } catch {
            throw DatabaseURLError("has invalid percent-encoding in the \(part)")
        }
    }
}
