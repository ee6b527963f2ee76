/// How the body of a request is delimited (RFC 9112 §6.3), decided by the head parser.
public enum BodyFraming: Sendable, Equatable {
    case none
    case contentLength(Int)
    case chunked
}

/// Everything before the body: request line and header fields, already checked against the
/// framing rules of operations.md OPS-59a..e.
public struct RequestHead: Sendable {
    public var method: HTTPMethod
    /// The request-target exactly as received (origin-form; absolute-form is reduced to it).
    public var target: String
    public var version: HTTPVersion
    public var headers: HTTPHeaders
    public var framing: BodyFraming

    public init(method: HTTPMethod, target: String, version: HTTPVersion, headers: HTTPHeaders, framing: BodyFraming) {
        self.method = method
        self.target = target
        self.version = version
        self.headers = headers
        self.framing = framing
    }

    /// The raw, undecoded path: the target up to the first `?` (api-v2.md API-1 routes on this).
    public var path: Substring {
        if let q = target.firstIndex(of: "?") { return target[..<q] }
        return target[...]
    }

    /// The raw query after the first `?`, or nil when the target has no `?`.
    public var query: Substring? {
        guard let q = target.firstIndex(of: "?") else { return nil }
        return target[target.index(after: q)...]
    }

    /// RFC 9112 §9.3 persistence. [Compat] `Connection: keep-alive, close` (the Go workers) means close.
    public var keepAlive: Bool {
        let tokens = headers.tokens("Connection")
        if tokens.contains("close") { return false }
        if version == .http1_1 { return true }
        return tokens.contains("keep-alive")
    }

    /// A body follows the head (chunked, or a non-zero Content-Length).
    public var hasBody: Bool {
        framing != .none && framing != .contentLength(0)
    }

    /// `Expect: 100-continue` on an HTTP/1.1 request that has a body.
    public var expectsContinue: Bool {
        guard version == .http1_1, hasBody else { return false }
        return headers.tokens("Expect").contains("100-continue")
    }
}
