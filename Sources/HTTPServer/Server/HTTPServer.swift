#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Dispatch
import Locks
import Synchronization

/// An HTTP/1.1 server on POSIX sockets and Dispatch.
///
/// Layout of the work: one accept source on its own queue; connections spread over a few serial
/// event-loop queues that own their sockets (parse and write only); responders on a pool of
/// dedicated worker threads, because they block on the database.
public final class HTTPServer: Sendable {
    private let core: ServerCore
    private let loops: [EventLoop]
    private let acceptQueue = DispatchQueue(label: "http-accept")
    private let listener: Mutex<ListenerState>
    /// The bound port (useful when the configuration asked for port 0).
    public let port: Int
    private let nextLoop = Atomic<Int>(0)
    /// Refused (OPS-55) sockets waiting for their delayed close.
    private let lingeringRefusals = Atomic<Int>(0)

    private struct ListenerState: @unchecked Sendable {
        var socket: ListeningSocket?
        var source: (any DispatchSourceRead)?
        var paused = false
    }

    public var metrics: ServerMetrics { core.metrics }
    /// Client connections currently open.
    public var openConnections: Int { core.connectionCount }
    public var isShuttingDown: Bool { core.shuttingDown.load(ordering: .relaxed) }

    /// Binds and starts serving. Ignores SIGPIPE process-wide (a write to a closed socket must be an
    /// error code, never a signal; we also pass MSG_NOSIGNAL).
    public init(configuration: ServerConfiguration, responder: any HTTPResponder, logger: JSONLogger,
                metrics: ServerMetrics = ServerMetrics()) throws {
        signal(SIGPIPE, SIG_IGN)
        let socket: ListeningSocket
        do {
            socket = try ListeningSocket.open(host: configuration.host, port: configuration.port)
        } catch {
            throw HTTPServerError.cannotListen(String(describing: error))
        }
        self.port = socket.port
        self.core = ServerCore(configuration: configuration, responder: responder, metrics: metrics, logger: logger)
        self.loops = (0..<max(1, configuration.eventLoops)).map { EventLoop(label: "http-loop-\($0)", index: $0) }
        self.listener = Mutex(ListenerState(socket: socket))
        for loop in loops { loop.start() }
        let source = DispatchSource.makeReadSource(fileDescriptor: socket.fd, queue: acceptQueue)
        source.setEventHandler { [self] in acceptPending() }
        listener.withLock { $0.source = source }
        source.resume()
    }

    /// On `acceptQueue`: accepts until the backlog is empty.
    private func acceptPending() {
        guard let socket = listener.withLock({ $0.socket }) else { return }
        while true {
            switch socket.acceptOne() {
            case .accepted(let accepted):
                admit(accepted)
            case .wouldBlock:
                return
            case .outOfResources:
                pauseAccepting()
                return
            case .failed(let code):
                core.logger.warn("accept failed", ["errno": .int(Int(code))])
                return
            }
        }
    }

    private func admit(_ accepted: ListeningSocket.Accepted) {
        guard core.reserveConnection() else {
            // OPS-55: the excess connection is told why, then closed.
            core.metrics.connectionRejected()
            let response = core.responder.errorResponse(status: 503, message: "too many connections", requestPath: nil)
            var withRetry = response
            withRetry.headers.set("Retry-After", "1")
            let prepared = core.prepareBuffered(withRetry, head: nil, requestID: ServerCore.requestID(from: nil), forceClose: true)
            _ = prepared.bytes.withUnsafeBytes { send(accepted.fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            Glibc.shutdown(accepted.fd, Int32(SHUT_WR))
            closeRefused(accepted.fd)
            return
        }
        let loop = loops[nextLoop.add(1, ordering: .relaxed).newValue % loops.count]
        let connection = HTTPConnection(fd: accepted.fd, peerAddress: accepted.remoteAddress, loop: loop, core: core)
        loop.execute { connection.start() }
    }

    /// Closes a refused socket half a second later, after reading what the client sent meanwhile:
    /// closing a socket with unread input answers with a TCP reset, which can destroy the 503 in the
    /// client's buffers before it reads it. At most 256 wait at once, so a flood of connections
    /// cannot pile up descriptors; beyond that they close at once.
    private func closeRefused(_ fd: Int32) {
        guard lingeringRefusals.add(1, ordering: .relaxed).newValue <= 256 else {
            lingeringRefusals.subtract(1, ordering: .relaxed)
            close(fd)
            return
        }
        DispatchQueue.global(qos: .utility).asyncAfter(deadline: .now() + .milliseconds(500)) { [self] in
            withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4096) { scratch in
                while recv(fd, scratch.baseAddress, scratch.count, Int32(MSG_DONTWAIT)) > 0 {}
            }
            close(fd)
            lingeringRefusals.subtract(1, ordering: .relaxed)
        }
    }

    /// EMFILE and friends: stop accepting for a moment instead of spinning on a full backlog.
    private func pauseAccepting() {
        let source: (any DispatchSourceRead)? = listener.withLock { state in
            guard !state.paused else { return nil }
            state.paused = true
            return state.source
        }
        guard let source else { return }
        source.suspend()
        core.logger.warn("accept paused: out of file descriptors")
        acceptQueue.asyncAfter(deadline: .now() + .milliseconds(100)) { [self] in
            let resume: (any DispatchSourceRead)? = listener.withLock { state in
                guard state.paused else { return nil }
                state.paused = false
                return state.source
            }
            resume?.resume()
        }
    }

    /// OPS-45, in order: stop accepting and close the listening socket; close idle connections and
    /// mark busy ones to close after their response; wait up to `grace` for them; force-close the
    /// rest. Blocks the calling thread. Returns how many requests were cut off.
    @discardableResult
    public func shutdown(graceSeconds: Int) -> Int {
        core.shuttingDown.store(true, ordering: .relaxed)
        acceptQueue.sync {
            listener.withLock { state in
                if let source = state.source {
                    if state.paused { source.resume() }
                    source.cancel()
                }
                if let socket = state.socket { close(socket.fd) }
                state.socket = nil
                state.source = nil
            }
        }
        for loop in loops {
            loop.execute {
                for connection in loop.currentConnections { connection.beginShutdown() }
            }
        }
        let deadline = MonotonicClock.now() + UInt64(graceSeconds) * 1_000_000_000
        while core.connectionCount > 0 && MonotonicClock.now() < deadline {
            usleep(20_000)
        }
        let cutOff = Atomic<Int>(0)
        for loop in loops {
            loop.executeAndWait {
                for connection in loop.currentConnections {
                    if connection.isBusy { cutOff.add(1, ordering: .relaxed) }
                    connection.abortConnection()
                }
            }
        }
        for loop in loops { loop.stop() }
        return cutOff.load(ordering: .relaxed)
    }

    /// Stops the worker threads; call after `shutdown` and after the database pool is closed.
    public func stopWorkers() {
        core.workers.shutdown()
    }
}

public enum HTTPServerError: Error, CustomStringConvertible {
    case cannotListen(String)

    public var description: String {
        switch self {
        case .cannotListen(let reason): "cannot listen: \(reason)"
        }
    }
}
