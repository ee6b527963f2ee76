/// One pooled connection kept for the rest of one request, so that a request running several
/// statements one after another (authentication, then the handler's queries) leases once.
///
/// Why: every lease is a trip through the pool's lock and, when callers queue for a connection, a
/// wake-up of the next waiter; at 32 concurrent requests on a small pool that hand-over was paid
/// twice per GET (`make bench-api`). Keep it.
///
/// Rules, so the lease behaves exactly like separate leases otherwise:
/// - A connection is taken lazily, at the first use, and given back by `end()`.
/// - A nested use (a body that asks for a connection while the lease's is busy) gets a second
///   connection from the pool, as it would without the lease.
/// - A connection left broken or inside a transaction after a body goes back to the pool at once
///   (which rolls it back or discards it); the next use takes a fresh one.
/// - After `end()` every use goes straight to the pool (a streamed body that runs later must not
///   pin a connection nobody gives back).
///
/// Confined to the thread that runs the request (like `PGConnection`), hence `@unchecked Sendable`.
public final class ConnectionLease: @unchecked Sendable {
    private let pool: PostgresPool
    private var pooled: PooledConnection?
    private var busy = false
    private var ended = false

    init(pool: PostgresPool) {
        self.pool = pool
    }

    public func withConnection<T>(_ body: (PGConnection) throws -> T) throws -> T {
        guard !busy, !ended else { return try pool.withConnection(body) }
        let current: PooledConnection
        if let pooled {
            current = pooled
        } else {
            current = try pool.acquire(timeout: pool.configuration.acquireTimeout)
            pooled = current
        }
        busy = true
        defer {
            busy = false
            let connection = current.connection
            if !connection.isUsable || connection.transactionState != .idle {
                pooled = nil
                pool.release(current)
            }
        }
        return try body(current.connection)
    }

    /// Gives the connection back; later uses go to the pool directly.
    public func end() {
        ended = true
        if let pooled {
            self.pooled = nil
            pool.release(pooled)
        }
    }
}
