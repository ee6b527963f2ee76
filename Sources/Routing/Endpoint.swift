import HTTPServer

/// What a route leads to: the largest body it accepts (OPS-51, checked before the body is read) and
/// the handler that answers it on a worker thread.
public struct Endpoint: Sendable {
    public var bodyLimit: Int
    /// The handler never blocks (no database): it may run on the socket's event loop.
    public var inline: Bool
    /// Checks to pass before `100 Continue` is sent (authentication); nil answer = go ahead.
    public var preflight: (@Sendable (RequestHead, RequestContext) -> HTTPResponse?)?
    public var handle: @Sendable (RoutedRequest) -> HTTPResponse
    /// Answers the common case of the route on the connection's event loop without blocking, or
    /// hands the request back (nil) to `handle` on a worker; see `HTTPServer.LoopHandler`.
    public var onLoop: LoopStart?

    public typealias LoopStart = @Sendable (RoutedRequest, LoopServices, @escaping @Sendable (HTTPResponse?) -> Void) -> Void

    public init(bodyLimit: Int, inline: Bool = false,
                preflight: (@Sendable (RequestHead, RequestContext) -> HTTPResponse?)? = nil,
                onLoop: LoopStart? = nil,
                handle: @escaping @Sendable (RoutedRequest) -> HTTPResponse) {
        self.bodyLimit = bodyLimit
        self.inline = inline
        self.preflight = preflight
        self.onLoop = onLoop
        self.handle = handle
    }
}

/// A request together with what routing found out about it.
public struct RoutedRequest: Sendable {
    public var http: HTTPRequest
    public var parameters: RouteParameters
    /// The route template (`/api/v2/objects/{obj}`): the metrics and access-log label (OPS-38).
    public var template: String

    public init(http: HTTPRequest, parameters: RouteParameters, template: String) {
        self.http = http
        self.parameters = parameters
        self.template = template
    }
}
