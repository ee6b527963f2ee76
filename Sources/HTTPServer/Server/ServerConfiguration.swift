/// Limits and timeouts of the HTTP layer (operations.md §8), with the spec's defaults.
public struct ServerConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 picks a free port (tests); the bound port is `HTTPServer.port`.
    public var port = 8080
    /// OPS-50: request line + header fields.
    public var maxHeaderBytes = 32 * 1024
    /// A bound on the parsed field array. OPS-50 limits only the bytes, so by default this lets in
    /// every head that fits them (the shortest field line, `a:` + CRLF, is 4 bytes).
    public var maxHeaderCount = 32 * 1024 / 4
    /// OPS-51: the body limit of a request no route accepts (404, 405). Routes give their own
    /// limits (`RequestPlan.accept`); the limits come before routing (domain.md DOM-96b), so an
    /// announced body over this one is a 413 whatever the path.
    public var maxBodyBytes = 1_048_576
    /// OPS-52: the whole head must arrive within this time of its first byte (a total, not per read).
    public var headerReadTimeoutSeconds = 10
    /// OPS-53: a body that receives no byte for this long is cut.
    public var bodyReadTimeoutSeconds = 30
    /// OPS-54: keep-alive connections idle this long are closed silently.
    public var idleTimeoutSeconds = 75
    /// A client that accepts no response bytes for this long is disconnected; a streaming producer
    /// that waits this long for the client to make room ends its stream (StreamChannel).
    public var writeStallTimeoutSeconds = 75
    /// No streamed response lasts longer (the registry sets EXPORT_MAX_SECONDS, its longest export).
    public var streamMaxSeconds = 3600
    /// OPS-55.
    public var maxConnections = 1024
    /// Threads that run responders. Responders block on the database, so this is sized from the
    /// database pool rather than the core count.
    public var workerThreads = 32
    /// Requests waiting for a worker beyond this are answered 503 at once: under overload a bounded
    /// queue keeps latency bounded for the requests that are admitted.
    public var maxQueuedRequests = 4096
    /// Serial queues that own the sockets; the CPU work on them is small (parse, write).
    public var eventLoops = 2
    /// OPS-1 TRUST_PROXY: client address and scheme from X-Forwarded-For / X-Forwarded-Proto.
    public var trustProxy = false
    /// Buffered output above this makes a streaming producer wait (back-pressure).
    public var outputHighWaterBytes = 256 * 1024
    /// Route labels whose access log lines are written only at debug level (OPS-41: /health, /metrics).
    public var quietRoutes: Set<String> = []

    public init() {}
}
