/// What the application gives the server. The server calls `plan` on the socket's event loop (so it
/// must be cheap and never block), `preflight` and `respond` on a worker thread (they may block on
/// the database).
public protocol HTTPResponder: Sendable {
    /// Right after the head is parsed, before any body byte is read: route lookup and body limit
    /// (OPS-51). A rejection is answered without reading the body.
    func plan(_ head: RequestHead) -> RequestPlan

    /// Only for `Expect: 100-continue`: the checks that must pass before the client is told to send
    /// the body (authentication, permission). nil means "send 100 Continue".
    func preflight(_ head: RequestHead, context: RequestContext) -> HTTPResponse?

    /// Produces the response for a complete request.
    func respond(to request: HTTPRequest) -> HTTPResponse

    /// The response for an error the HTTP layer answers itself (framing, limits, timeouts, overload).
    /// `requestPath` is the raw path when the request line was read completely (OPS-58).
    func errorResponse(status: Int, message: String, requestPath: Substring?) -> HTTPResponse

    /// The metrics and access-log label (OPS-38) of a request the HTTP layer refuses after routing
    /// (its body too large or stalled, the queue full, a failed 100-continue check): the route it
    /// matched, as `respond` would have labelled it. Only error paths call it.
    func routeLabel(for head: RequestHead) -> String
}

extension HTTPResponder {
    public func routeLabel(for head: RequestHead) -> String { HTTPResponse.unmatchedRoute }
}

public enum RequestPlan: Sendable {
    /// Read a body of at most `bodyLimit` bytes, then respond. `inline`: the responder never blocks
    /// for this request (no database, no I/O), so it runs on the socket's event loop and saves the
    /// two thread hand-offs to and from a worker. Streamed answers still go to a worker.
    ///
    /// `onLoop`: the responder can answer this request on the socket's event loop without blocking
    /// (see `LoopHandler`); it may still hand it back, and then it goes to a worker as usual.
    case accept(bodyLimit: Int, inline: Bool, onLoop: LoopHandler? = nil)
    case reject(HTTPResponse)

    public static func accept(bodyLimit: Int) -> RequestPlan { .accept(bodyLimit: bodyLimit, inline: false) }
}

