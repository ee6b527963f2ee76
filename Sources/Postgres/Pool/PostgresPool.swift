import Dispatch
import Locks
import Synchronization

/// A fixed-size pool of `PGConnection`s for blocking use from the HTTP server's worker threads.
///
/// - Connections are opened lazily, up to `maximumConnections`.
/// - A caller that finds none free blocks in FIFO order for up to `acquireTimeout`, then gets
///   `.poolTimeout` (OPS-56).
/// - A returned connection that is broken, or still inside a transaction that ROLLBACK cannot end,
///   is closed. A dead connection makes every other pooled connection run `SELECT 1` before its
///   next use (a database restart kills all sessions at once).
/// - After a failed connect, acquires fail fast with `.unavailable` for a doubling back-off (100 ms
///   to 2 s by default), then one caller probes; so an outage gives quick 503s and recovery needs no
///   restart (OPS-65).
///
/// All methods block the calling thread; never call them from Swift concurrency tasks (see
/// `PGConnection`). The bookkeeping lives behind a `PlainLock`, so the pool itself may be shared freely.
public final class PostgresPool: Sendable {
    public let configuration: PostgresPoolConfiguration
    private let state: PlainLock<PoolState>

    public init(_ configuration: PostgresPoolConfiguration) {
        self.configuration = configuration
        self.state = PlainLock(PoolState(
            maximumConnections: configuration.maximumConnections,
            initialBackoff: configuration.initialBackoff, maximumBackoff: configuration.maximumBackoff))
    }

    deinit {
        shutdown()
    }

    /// Leases a connection for the duration of `body` and returns it afterwards, whatever happens.
    /// Throws `.poolTimeout`, `.unavailable` or `.connectionFailure` if none can be had, or whatever
    /// `body` throws. The connection must not be used after `body` returns.
    public func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let pooled = try acquire(timeout: configuration.acquireTimeout)
        let value: T
        do {
            value = try body(pooled.connection)
        } catch {
            release(pooled)
            throw error
        }
        release(pooled)
        return value
    }

    /// A lease for one request: see `ConnectionLease`.
    public func lease() -> ConnectionLease {
        ConnectionLease(pool: self)
    }

    /// `withConnection` plus `PGConnection.transaction`.
    public func withTransaction<T>(
        _ isolation: PGIsolation = .readCommitted, readOnly: Bool = false,
        _ body: (PGConnection) throws -> T
    ) throws -> T {
        try withConnection { connection in
            try connection.transaction(isolation, readOnly: readOnly, body)
        }
    }

    /// True if `SELECT 1` succeeds within `timeout`, acquiring included (OPS-36 `/ready`).
    /// A statement still running at the deadline is cancelled.
    public func ping(timeout: Duration = .seconds(1)) -> Bool {
        let start = ContinuousClock.now
        guard let pooled = try? acquire(timeout: min(timeout, configuration.acquireTimeout)) else {
            return false
        }
        let remaining = timeout - (ContinuousClock.now - start)
        guard remaining > .zero else {
            release(pooled)
            return false
        }
        // The watchdog may only cancel while THIS ping runs: once `finished` is set (under the same
        // lock) the connection may already belong to another caller.
        let watchdog = PingWatchdog(connection: pooled.connection)
        DispatchQueue.global().asyncAfter(deadline: .now() + remaining.dispatchInterval) {
            watchdog.fire()
        }
        let succeeded = (try? pooled.connection.execute("SELECT 1")) != nil
        watchdog.finish()
        release(pooled)
        return succeeded
    }

    /// A snapshot of the counters.
    public func stats() -> PoolStats {
        state.withLock { state in
            PoolStats(
                name: configuration.name, maximumConnections: state.maximumConnections,
                open: state.idle.count + state.leased, idle: state.idle.count, inUse: state.leased,
                connecting: state.connecting, waiting: state.waiters.count,
                unavailableTotal: state.unavailableTotal, waitSeconds: state.waitHistogram)
        }
    }

    /// Closes idle connections, fails waiting and future acquires with `.unavailable`; connections
    /// in use are closed when returned.
    public func shutdown() {
        let (idle, woken) = state.withLock { $0.shutDown() }
        woken.forEach { $0.semaphore.signal() }
        _ = idle  // dropping the last references closes the sessions (PQfinish in deinit)
    }

    // MARK: Acquire and release

    func acquire(timeout: Duration) throws(PGError) -> PooledConnection {
        let start = ContinuousClock.now
        let deadline = start + timeout
        defer {
            let waited = ContinuousClock.now - start
            state.withLock { $0.waitHistogram.observe(seconds: waited.seconds) }
        }
        var step = state.withLock { $0.acquire(now: start) }
        while true {
            switch step {
            case .use(var pooled, let needsCheck):
                if !needsCheck || (try? pooled.connection.execute("SELECT 1")) != nil {
                    if needsCheck { state.withLock { $0.markVerified(&pooled) } }
                    return pooled
                }
                let (next, woken) = state.withLock { $0.replaceDeadConnection(now: .now) }
                woken.forEach { $0.semaphore.signal() }
                step = next
            case .connect:
                return try openConnection()
            case .fail(let error):
                throw error
            case .wait(let waiter):
                step = try waitForGrant(waiter, deadline: deadline, timeout: timeout)
            }
        }
    }

    private func openConnection() throws(PGError) -> PooledConnection {
        let connection: PGConnection
        do {
            connection = try PGConnection.connect(configuration.connection)
        } catch {
            let woken = state.withLock { $0.connectFailed(now: .now) }
            woken.forEach { $0.semaphore.signal() }
            throw error
        }
        let generation = state.withLock { $0.connectSucceeded() }
        return PooledConnection(connection: connection, verifiedGeneration: generation)
    }

    private func waitForGrant(
        _ waiter: PoolWaiter, deadline: ContinuousClock.Instant, timeout: Duration
    ) throws(PGError) -> AcquireStep {
        let remaining = deadline - ContinuousClock.now
        let signalled = remaining > .zero
            && waiter.semaphore.wait(timeout: .now() + remaining.dispatchInterval) == .success
        let grant = state.withLock { state in
            signalled ? state.takeGrant(for: waiter) : state.abandonWait(waiter)
        }
        guard let grant else {
            throw PGError(
                kind: .poolTimeout,
                message: "no database connection free within \(timeout.milliseconds) ms")
        }
        return grant
    }

    /// Resets a returned connection (ROLLBACK if a transaction is still open) or discards it.
    func release(_ pooled: PooledConnection) {
        let connection = pooled.connection
        if connection.isUsable && connection.transactionState != .idle {
            connection.rollbackQuietly()
        }
        let lost = !connection.isUsable
        let reusable = !lost && connection.transactionState == .idle
        let (woken, _) = state.withLock { state in
            state.release(pooled, reusable: reusable, connectionLost: lost, now: .now)
        }
        woken.forEach { $0.semaphore.signal() }
        // A discarded connection is closed when `pooled` goes out of scope (PQfinish in deinit).
    }
}

/// Cancels a ping's statement unless the ping finished first; both sides take the same lock.
private final class PingWatchdog: Sendable {
    private let connection: PGConnection
    private let finished = Mutex(false)

    init(connection: PGConnection) { self.connection = connection }

    func fire() {
        finished.withLock { finished in
            if !finished { connection.cancel() }
        }
    }

    func finish() {
        finished.withLock { $0 = true }
    }
}

extension Duration {
    var dispatchInterval: DispatchTimeInterval {
        let (seconds, attoseconds) = components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }

    var seconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
