/// A complete request as handed to a responder on a worker thread.
public struct HTTPRequest: Sendable {
    public var head: RequestHead
    public var body: [UInt8]
    public var context: RequestContext
    /// Monotonic time (nanoseconds) at which the head was complete; durations are measured from here.
    public var receivedAt: UInt64

    public init(head: RequestHead, body: [UInt8], context: RequestContext, receivedAt: UInt64) {
        self.head = head
        self.body = body
        self.context = context
        self.receivedAt = receivedAt
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }
    /// The client address: the peer, or the left-most X-Forwarded-For entry behind a trusted proxy.
    public var remoteAddress: String { context.remoteAddress }
    /// OPS-40: the client's `X-Request-Id` when well-formed, else 32 random hex characters.
    public var requestID: String { context.requestID }
}
