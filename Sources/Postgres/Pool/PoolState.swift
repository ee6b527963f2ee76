import Dispatch

/// A connection owned by the pool, with the failure generation at which it was last known good.
struct PooledConnection: Sendable {
    let connection: PGConnection
    var verifiedGeneration: UInt64
}

/// A caller blocked in `acquire`. Its semaphore is signalled once a grant is recorded for it; one
/// semaphore per waiter is what makes wake-ups FIFO and impossible to lose.
struct PoolWaiter: Sendable {
    let id: UInt64
    let semaphore: DispatchSemaphore
}

/// What a caller must do next to obtain a connection.
enum AcquireStep: Sendable {
    /// Use this pooled connection (after a `SELECT 1` if `needsCheck`).
    case use(PooledConnection, needsCheck: Bool)
    /// A slot is reserved: open a new connection.
    case connect
    /// Nothing free: wait for a grant.
    case wait(PoolWaiter)
    /// Give up with this error.
    case fail(PGError)
}

/// The pool's bookkeeping, a plain value mutated only inside the pool's lock. It never blocks and
/// never touches the network: the pool performs connects, checks and waits outside the lock, then
/// reports back. Methods return the waiters to wake, which the pool signals after unlocking.
struct PoolState {
    let maximumConnections: Int
    private(set) var idle: [PooledConnection] = []
    /// Established connections held by callers.
    private(set) var leased = 0
    /// Slots reserved for connects in progress.
    private(set) var connecting = 0
    /// FIFO queue. An Array: its length is bounded by the number of worker threads, so
    /// `removeFirst` stays cheap.
    private(set) var waiters: [PoolWaiter] = []
    /// Steps handed to waiters, keyed by waiter id, collected when the waiter wakes.
    private var grants: [UInt64: AcquireStep] = [:]
    private var nextWaiterID: UInt64 = 0
    /// Bumped whenever a connection is found dead: a database restart kills every session, so any
    /// pooled connection verified before the bump gets a `SELECT 1` before its next use.
    private(set) var failureGeneration: UInt64 = 0
    private(set) var circuit: CircuitBreaker
    private(set) var isShutDown = false
    private(set) var unavailableTotal: UInt64 = 0
    var waitHistogram = PoolWaitHistogram()

    init(maximumConnections: Int, initialBackoff: Duration, maximumBackoff: Duration) {
        self.maximumConnections = maximumConnections
        self.circuit = CircuitBreaker(initialBackoff: initialBackoff, maximumBackoff: maximumBackoff)
    }

    private var slotsInUse: Int { idle.count + leased + connecting }

    // MARK: Acquiring

    mutating func acquire(now: ContinuousClock.Instant) -> AcquireStep {
        if isShutDown { return .fail(PoolState.shutDownError) }
        // Only take the fast paths when nobody is queued, so arrivals cannot overtake waiters.
        if waiters.isEmpty {
            if let pooled = idle.popLast() {  // LIFO: the most recently used session is the warmest
                leased += 1
                return .use(pooled, needsCheck: pooled.verifiedGeneration < failureGeneration)
            }
            if slotsInUse < maximumConnections {
                return reserveConnect(now: now)
            }
        }
        nextWaiterID += 1
        let waiter = PoolWaiter(id: nextWaiterID, semaphore: DispatchSemaphore(value: 0))
        waiters.append(waiter)
        return .wait(waiter)
    }

    /// Called by a woken waiter: its grant, which is always present after a signal.
    mutating func takeGrant(for waiter: PoolWaiter) -> AcquireStep? {
        grants.removeValue(forKey: waiter.id)
    }

    /// Called when a wait timed out: the grant if one arrived in the meantime, else the waiter
    /// leaves the queue and nil is returned.
    mutating func abandonWait(_ waiter: PoolWaiter) -> AcquireStep? {
        if let grant = grants.removeValue(forKey: waiter.id) { return grant }
        waiters.removeAll { $0.id == waiter.id }
        return nil
    }

    mutating func connectSucceeded() -> UInt64 {
        connecting -= 1
        leased += 1
        circuit.recordSuccess()
        return failureGeneration
    }

    mutating func connectFailed(now: ContinuousClock.Instant) -> [PoolWaiter] {
        connecting -= 1
        unavailableTotal += 1
        circuit.recordFailure(now: now)
        return handOutFreeSlots(now: now)
    }

    /// A leased connection failed its liveness check: it is discarded and the caller, still holding
    /// the slot, opens a replacement (or fails fast while the circuit is open).
    mutating func replaceDeadConnection(now: ContinuousClock.Instant) -> (AcquireStep, [PoolWaiter]) {
        leased -= 1
        failureGeneration += 1
        if isShutDown { return (.fail(PoolState.shutDownError), []) }
        let step = reserveConnect(now: now)
        if case .fail = step { return (step, handOutFreeSlots(now: now)) }
        return (step, [])
    }

    mutating func markVerified(_ pooled: inout PooledConnection) {
        pooled.verifiedGeneration = failureGeneration
    }

    // MARK: Releasing

    /// Returns a leased connection. `reusable` is false when it is broken or could not be reset;
    /// `connectionLost` when it died, which schedules checks of all other connections. Returns
    /// the waiters to wake and whether the caller must close the connection.
    mutating func release(
        _ pooled: PooledConnection, reusable: Bool, connectionLost: Bool, now: ContinuousClock.Instant
    ) -> (wake: [PoolWaiter], discard: Bool) {
        leased -= 1
        if connectionLost { failureGeneration += 1 }
        if isShutDown { return ([], true) }
        if reusable {
            if !waiters.isEmpty {
                let waiter = waiters.removeFirst()
                leased += 1
                grants[waiter.id] = .use(pooled, needsCheck: pooled.verifiedGeneration < failureGeneration)
                return ([waiter], false)
            }
            idle.append(pooled)
            return ([], false)
        }
        return (handOutFreeSlots(now: now), true)
    }

    /// Marks the pool shut down. Returns the idle connections (to close) and the waiters (failed).
    mutating func shutDown() -> (idle: [PooledConnection], wake: [PoolWaiter]) {
        isShutDown = true
        let closing = idle
        idle = []
        let woken = waiters
        for waiter in waiters { grants[waiter.id] = .fail(PoolState.shutDownError) }
        waiters = []
        return (closing, woken)
    }

    // MARK: Helpers

    private mutating func reserveConnect(now: ContinuousClock.Instant) -> AcquireStep {
        switch circuit.admit(now: now) {
        case .closed, .probe:
            connecting += 1
            return .connect
        case .open:
            unavailableTotal += 1
            return .fail(PoolState.unavailableError)
        }
    }

    /// While slots are free and callers wait, give the first waiter a slot to connect in; while the
    /// circuit is open, each such waiter fails fast instead (the database is down).
    private mutating func handOutFreeSlots(now: ContinuousClock.Instant) -> [PoolWaiter] {
        var woken: [PoolWaiter] = []
        while !waiters.isEmpty && slotsInUse < maximumConnections {
            let waiter = waiters.removeFirst()
            grants[waiter.id] = reserveConnect(now: now)
            woken.append(waiter)
        }
        return woken
    }

    static let unavailableError = PGError(kind: .unavailable, message: "database unavailable (reconnect back-off)")
    static let shutDownError = PGError(kind: .unavailable, message: "database pool is shut down")
}
