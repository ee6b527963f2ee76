/// A request the HTTP layer refuses while parsing. The connection answers with `status`
/// and closes (server-lessons §1.3: never resynchronise after a framing error).
public struct HTTPParseError: Error, Sendable, Equatable {
    /// 400, 431, 501 or 505.
    public var status: Int
    /// Short human text for the error body and the log, e.g.
    /// "Content-Length and Transfer-Encoding both present". Never contains request bytes.
    public var message: String
    /// The raw request path (target up to `?`, absolute-form already reduced) when the request
    /// line was read completely and its target was valid, else nil. OPS-58 decides between JSON
    /// and plain-text error bodies from it. Always nil from `ChunkedBodyDecoder`, which never sees
    /// the request line: the connection knows the path there.
    public var requestPath: String?
    /// The request line's method when the line was read completely (for the access log, OPS-41).
    public var requestMethod: HTTPMethod?
    /// The value of an `X-Request-Id` field read before the failure, if any: the answer carries the
    /// client's id when it is valid (OPS-40: "on every response"), as for a request that got further.
    public var offeredRequestID: String?

    public init(status: Int, message: String, requestPath: String? = nil, offeredRequestID: String? = nil,
                requestMethod: HTTPMethod? = nil) {
        self.status = status
        self.message = message
        self.requestPath = requestPath
        self.offeredRequestID = offeredRequestID
        self.requestMethod = requestMethod
    }

    static func badRequest(_ message: String) -> HTTPParseError {
        HTTPParseError(status: 400, message: message)
    }
}
