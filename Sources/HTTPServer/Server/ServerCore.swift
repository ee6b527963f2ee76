import CryptoSupport
import Dispatch
import Locks
import Synchronization

/// What every connection shares: configuration, the responder, the worker threads, metrics and the
/// access log. Immutable after start except for the atomics.
final class ServerCore: Sendable {
    let configuration: ServerConfiguration
    let responder: any HTTPResponder
    let workers: WorkerPool
    let metrics: ServerMetrics
    let logger: JSONLogger
    let encoder = ResponseEncoder(dateCache: DateCache())
    let shuttingDown = Atomic<Bool>(false)
    private let openConnections = Atomic<Int>(0)
    /// Requests cut off by a forced close at the end of the shutdown grace period.
    let requestsCutOff = Atomic<Int>(0)

    init(configuration: ServerConfiguration, responder: any HTTPResponder, metrics: ServerMetrics, logger: JSONLogger) {
        self.configuration = configuration
        self.responder = responder
        self.metrics = metrics
        self.logger = logger
        self.workers = WorkerPool(threadCount: configuration.workerThreads, name: "http-worker")
    }

    // MARK: Connections

    /// Reserves a slot for a new connection; false at MAX_CONNECTIONS.
    func reserveConnection() -> Bool {
        while true {
            let current = openConnections.load(ordering: .relaxed)
            if current >= configuration.maxConnections { return false }
            if openConnections.compareExchange(expected: current, desired: current + 1, ordering: .relaxed).exchanged {
                metrics.connectionOpened()
                return true
            }
        }
    }

    func connectionClosed() {
        openConnections.subtract(1, ordering: .relaxed)
        metrics.connectionClosed()
    }

    var connectionCount: Int { openConnections.load(ordering: .relaxed) }

    // MARK: Requests

    func makeContext(head: RequestHead?, peerAddress: String) -> RequestContext {
        var remoteAddress = peerAddress
        var scheme = "http"
        if configuration.trustProxy, let head {
            if let forwarded = head.headers["X-Forwarded-For"],
               let first = forwarded.split(separator: ",").first?.trimmingASCIIWhitespace(), !first.isEmpty {
                remoteAddress = first
            }
            if let proto = head.headers["X-Forwarded-Proto"]?.trimmingASCIIWhitespace().lowercased(),
               proto == "https" || proto == "http" {
                scheme = proto
            }
        }
        return RequestContext(remoteAddress: remoteAddress, scheme: scheme, requestID: Self.requestID(from: head))
    }

    /// OPS-40: the client's id when it matches `^[A-Za-z0-9._-]{1,128}$`, else 32 random hex digits.
    static func requestID(from head: RequestHead?) -> String {
        head?.headers["X-Request-Id"].flatMap(validRequestID) ?? SecureRandom.hex(byteCount: 16)
    }

    /// `offered` when it matches `^[A-Za-z0-9._-]{1,128}$` (OPS-40), else nil.
    static func validRequestID(_ offered: String) -> String? {
        guard (1...128).contains(offered.utf8.count),
              offered.utf8.allSatisfy({ byte in
                  (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                      || byte == 0x2E || byte == 0x5F || byte == 0x2D
              })
        else { return nil }
        return offered
    }

    struct PreparedResponse {
        var bytes: [UInt8]
        var bodyBytes: Int
        var close: Bool
    }

    /// Head and body of a buffered response in one buffer, so it leaves in one `send`.
    func prepareBuffered(_ response: HTTPResponse, head: RequestHead?, requestID: String, forceClose: Bool) -> PreparedResponse {
        let framing = encoder.framing(for: response, head: head, forceClose: forceClose || shuttingDown.load(ordering: .relaxed))
        var body: [UInt8]
        switch response.body {
        case .bytes(let bytes): body = bytes
        case .empty, .stream: body = []
        }
        if framing.gzip { body = GzipCompressor.compress(body) }
        var contentLength: Int? = body.count
        if case .stream = response.body { contentLength = nil }
        var bytes = encoder.encodeHead(response, framing: framing, contentLength: contentLength, requestID: requestID,
                                       version: head?.version)
        if framing.sendBody { bytes.append(contentsOf: body) }
        return PreparedResponse(bytes: bytes, bodyBytes: framing.sendBody ? body.count : 0, close: framing.close)
    }

    /// On the connection's loop, for a plan marked inline: buffered answers go out directly; a
    /// stream is handed to a worker (its back-pressure wait would block the loop it waits for).
    func respondInline(to request: HTTPRequest, on connection: HTTPConnection) {
        let response = responder.respond(to: request)
        if case .stream(let produce) = response.body, request.method != .head {
            workers.submit { [self] in stream(response, produce: produce, for: request, on: connection) }
            return
        }
        completeOnLoop(response, for: request, on: connection)
    }

    /// Above this, a body to gzip is compressed on a worker, not on the loop.
    static let loopCompressionLimit = 64 * 1024

    /// On the connection's loop: a buffered response produced there goes out directly.
    ///
    /// Performance: except a large body to compress (a page of 500 events for a Go worker, which
    /// always sends `Accept-Encoding: gzip`): that takes milliseconds, during which every other
    /// connection of the loop would wait, so a worker compresses it and hands it back.
    func completeOnLoop(_ response: HTTPResponse, for request: HTTPRequest, on connection: HTTPConnection) {
        if case .bytes(let body) = response.body, body.count > Self.loopCompressionLimit,
           encoder.framing(for: response, head: request.head, forceClose: false).gzip {
            workers.submit { [self] in sendBuffered(response, for: request, on: connection) }
            return
        }
        let prepared = prepareBuffered(response, head: request.head, requestID: request.requestID,
                                       forceClose: shuttingDown.load(ordering: .relaxed))
        finish(request, response: response, bytesOut: prepared.bodyBytes, aborted: false)
        connection.completeResponse(prepared.bytes, close: prepared.close)
    }

    /// On a worker thread: runs the responder and sends the result back to the connection's loop.
    func respond(to request: HTTPRequest, on connection: HTTPConnection) {
        let response = responder.respond(to: request)
        guard case .stream(let produce) = response.body, request.method != .head else {
            sendBuffered(response, for: request, on: connection)
            return
        }
        stream(response, produce: produce, for: request, on: connection)
    }

    /// On a worker thread: runs a streaming producer with back-pressure (see StreamChannel).
    private func stream(_ response: HTTPResponse, produce: @Sendable (any ResponseBodyWriter) throws -> Void,
                        for request: HTTPRequest, on connection: HTTPConnection) {
        let framing = encoder.framing(for: response, head: request.head, forceClose: shuttingDown.load(ordering: .relaxed))
        let head = encoder.encodeHead(response, framing: framing, contentLength: nil, requestID: request.requestID,
                                      version: request.head.version)
        let channel = StreamChannel(connection: connection, highWater: configuration.outputHighWaterBytes,
                                    stallSeconds: configuration.writeStallTimeoutSeconds,
                                    maxSeconds: configuration.streamMaxSeconds)
        // Registered before the producer runs, so a client that hangs up while the first rows are
        // still being read is noticed (see HTTPConnection.handleReadable).
        connection.loop.execute { connection.attachStream(channel) }
        let writer = StreamBodyWriter(channel: channel, head: head, gzip: framing.gzip, chunked: framing.chunked)
        do {
            try produce(writer)
            try writer.finish()
        } catch {
            if !writer.headSent, let failure = error as? any HTTPResponseConvertible {
                // Nothing reached the client yet, so the failure can still be a proper response.
                sendBuffered(failure.httpResponse, for: request, on: connection)
                return
            }
            // After the first byte the only honest signal left is a truncated transfer (AUD-15): the
            // complete chunks already queued still go out, then the connection closes without the
            // terminating chunk.
            connection.loop.execute { connection.endTruncatedStream() }
            finish(request, response: response, bytesOut: writer.bodyBytesSent, aborted: true)
            return
        }
        connection.loop.execute {
            connection.completeResponse([], close: framing.close)
        }
        finish(request, response: response, bytesOut: writer.bodyBytesSent, aborted: false)
    }

    private func sendBuffered(_ response: HTTPResponse, for request: HTTPRequest, on connection: HTTPConnection) {
        let prepared = prepareBuffered(response, head: request.head, requestID: request.requestID,
                                       forceClose: shuttingDown.load(ordering: .relaxed))
        connection.loop.execute {
            connection.completeResponse(prepared.bytes, close: prepared.close)
        }
        finish(request, response: response, bytesOut: prepared.bodyBytes, aborted: false)
    }

    private func finish(_ request: HTTPRequest, response: HTTPResponse, bytesOut: Int, aborted: Bool) {
        metrics.requestFinished(method: request.method.description, route: response.routeLabel, status: response.status,
                                seconds: Double(MonotonicClock.now() - request.receivedAt) / 1e9)
        logAccess(response: response, head: request.head, context: request.context, receivedAt: request.receivedAt,
                  bytesOut: bytesOut, fallbackPath: nil)
    }
}
