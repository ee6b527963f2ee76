/// A response produced by a responder. The server adds `Date`, `Content-Length` or
/// `Transfer-Encoding`, `Connection`, `X-Request-Id` and, when it compresses, `Content-Encoding`
/// and `Vary`.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var headers: HTTPHeaders
    public var body: ResponseBody
    /// What the access log and metrics record besides the status (OPS-38, OPS-41).
    public var routeLabel: String
    public var user: String?

    /// The label of a request no route matched (OPS-38), until a responder names its route.
    public static let unmatchedRoute = "unmatched"

    public init(status: Int, headers: HTTPHeaders = HTTPHeaders(), body: ResponseBody = .empty,
                routeLabel: String = HTTPResponse.unmatchedRoute, user: String? = nil) {
        self.status = status
        self.headers = headers
        self.body = body
        self.routeLabel = routeLabel
        self.user = user
    }

    /// A buffered response with a content type.
    public static func bytes(_ status: Int, contentType: String, _ body: [UInt8]) -> HTTPResponse {
        HTTPResponse(status: status, headers: HTTPHeaders(["Content-Type": contentType]), body: .bytes(body))
    }

    public static func text(_ status: Int, _ text: String) -> HTTPResponse {
        bytes(status, contentType: "text/plain; charset=utf-8", Array(text.utf8))
    }
}

/// A body is either in memory or produced incrementally by a closure that runs on the worker
/// thread and writes through a `ResponseBodyWriter` (chunked transfer coding, back-pressure).
public enum ResponseBody: Sendable {
    case empty
    case bytes([UInt8])
    case stream(@Sendable (any ResponseBodyWriter) throws -> Void)
}
