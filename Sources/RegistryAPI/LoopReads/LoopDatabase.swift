import Dispatch
import HTTPServer
import Postgres

/// One non-blocking pipelined session (`PGPipelineConnection`) per HTTP event loop, for the hot
/// reads answered on the loops themselves (`ObjectShowOnLoop`, `ListOnLoop`). These sessions are
/// taken out of DB_POOL_SIZE (`RegistryServer.loopReadSessions`): one per loop, opened on first use.
///
/// A session runs its requests one after the other, so it is kept to cheap statements: the routes
/// send only bounded pages, a statement that runs past `statementTimeoutMs` is cancelled by the
/// server (and the request answered by a worker, under the ordinary timeout), and a session with
/// `maximumPending` requests waiting takes no more.
///
/// Each slot is touched only on its loop's thread. Opening a session blocks, so it runs on a
/// Dispatch queue and the result is handed back to the loop; until then, and for a few seconds
/// after a failure, requests are handed back to the worker path, which has the pool's outage
/// handling (OPS-56, OPS-57).
public final class LoopDatabase: Sendable {
    private let settings: PGConnectionSettings
    private let slots: [LoopSlot]

    /// A hot read that takes longer than this is not a hot read: a worker answers it.
    static let statementTimeoutMs = 2000
    /// Requests waiting on one session; beyond it, requests go to workers.
    static let maximumPending = 64

    public init(settings: PGConnectionSettings, eventLoops: Int) {
        var settings = settings
        settings.statementTimeoutMs = min(settings.statementTimeoutMs ?? Self.statementTimeoutMs, Self.statementTimeoutMs)
        // Told apart from the pool's sessions in pg_stat_activity (operators, and the tests).
        settings.applicationName += "-loop"
        self.settings = settings
        self.slots = (0..<max(1, eventLoops)).map { _ in LoopSlot() }
    }

    /// Sends `queries` as one pipelined request on `loop`'s session; `completion` runs on the
    /// loop with their results, or with nil (the session is not open yet, broke, or a statement
    /// failed): the caller then answers the request the ordinary way.
    func send(_ queries: [PGQuery], on loop: LoopServices, completion: @escaping PGPipelineConnection.Completion) {
        guard loop.index < slots.count else { return completion(nil) }
        slots[loop.index].send(queries, settings: settings, loop: loop, completion: completion)
    }

    /// Closes every loop's session (PostgreSQL sees a clean Terminate instead of a dropped socket)
    /// and opens none after that. Call once the HTTP server's event loops have stopped
    /// (`HTTPServer.shutdown` joins their threads): the slots are loop-confined, so this is the
    /// first moment another thread may touch them.
    public func close() {
        for slot in slots { slot.close() }
    }
}

/// The session of one loop. Confined to that loop's thread (hence no lock).
private final class LoopSlot: LoopWatcher, @unchecked Sendable {
    private enum State {
        case closed
        case opening
        case open(PGPipelineConnection, LoopWatch, writeWatched: Bool)
        case failed(retryAt: ContinuousClock.Instant)
        /// Server shutdown: nothing is opened any more.
        case shutDown
    }

    private var state = State.closed
    /// The loop this slot belongs to, known from the first request.
    private var loop: LoopServices?
    private static let retryDelay: Duration = .seconds(5)

    func send(_ queries: [PGQuery], settings: PGConnectionSettings, loop: LoopServices,
              completion: @escaping PGPipelineConnection.Completion) {
        switch state {
        case .open(let session, _, _):
            guard session.pendingCount < LoopDatabase.maximumPending else { return completion(nil) }
            session.send(queries, completion: completion)
            afterIO(session, loop: loop)
        case .closed:
            open(settings, loop: loop)
            completion(nil)
        case .failed(let retryAt):
            if ContinuousClock.now >= retryAt { open(settings, loop: loop) }
            completion(nil)
        case .opening, .shutDown:
            completion(nil)
        }
    }

    /// Drops the session, which ends it (`PGConnection` finishes its libpq handle when released).
    /// Requests still waiting on it are not called back: their connections were closed by the
    /// server's shutdown before this runs.
    func close() {
        state = .shutDown
    }

    func loopEvents(readable: Bool, writable: Bool) {
        guard case .open(let session, _, _) = state, let loop else { return }
        if writable { session.handleWritable() }
        if readable { session.handleReadable() }
        afterIO(session, loop: loop)
    }

    private func open(_ settings: PGConnectionSettings, loop: LoopServices) {
        state = .opening
        self.loop = loop
        DispatchQueue.global().async {
            let session = try? PGPipelineConnection.open(settings)
            loop.execute { [self] in
                // Not `.opening` any more: the server shut down meanwhile; `session` ends here.
                guard case .opening = state else { return }
                guard let session else {
                    state = .failed(retryAt: ContinuousClock.now + Self.retryDelay)
                    return
                }
                let watch = loop.watch(session.socket, read: true, write: false, self)
                state = .open(session, watch, writeWatched: false)
            }
        }
    }

    /// Write interest only while libpq holds unsent output; a broken session is dropped (its
    /// waiting requests were already handed back) and reopened after `retryDelay`.
    private func afterIO(_ session: PGPipelineConnection, loop: LoopServices) {
        guard case .open(_, let watch, let writeWatched) = state else { return }
        if session.isBroken {
            loop.unwatch(watch)
            state = .failed(retryAt: ContinuousClock.now + Self.retryDelay)
            return
        }
        if session.wantsWrite != writeWatched {
            loop.update(watch, read: true, write: session.wantsWrite)
            state = .open(session, watch, writeWatched: session.wantsWrite)
        }
    }
}
