/// A complete request as handed to a responder on a worker thread.
public struct HTTPRequest: Sendable {
    public var head: RequestHead
    public var body: [UInt8]
    /// The peer address (`ip` or `[ipv6]`), before any proxy header is considered.
    public var remoteAddress: String
    /// OPS-40: the client's `X-Request-Id` when well-formed, else 32 random hex characters.
    public var requestID: String
    /// Monotonic time (nanoseconds) at which the head was complete; durations are measured from here.
    public var receivedAt: UInt64

    public init(head: RequestHead, body: [UInt8], remoteAddress: String, requestID: String, receivedAt: UInt64) {
        self.head = head
        self.body = body
        self.remoteAddress = remoteAddress
        self.requestID = requestID
        self.receivedAt = receivedAt
    }

    public var method: HTTPMethod { head.method }
    public var headers: HTTPHeaders { head.headers }
}
