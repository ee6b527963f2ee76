import Postgres

/// The registry's database access: the primary pool, and an optional read replica for the reads
/// operations.md OPS-67 allows (HTML pages, member-API GETs, reports, exports).
public final class Database: Sendable {
    public let primary: PostgresPool
    public let replica: PostgresPool?
    /// Set on a request's copy (`forOneRequest`): its primary connection is leased once.
    private let lease: ConnectionLease?

    public convenience init(primary: PostgresPool, replica: PostgresPool? = nil) {
        self.init(primary: primary, replica: replica, lease: nil)
    }

    private init(primary: PostgresPool, replica: PostgresPool?, lease: ConnectionLease?) {
        self.primary = primary
        self.replica = replica
        self.lease = lease
    }

    /// A copy whose `read` and `transaction` reuse one primary connection until `lease.end()`
    /// (see `ConnectionLease` for why). The caller must call `end()` when the request is answered,
    /// on the thread that runs it.
    public func forOneRequest() -> (database: Database, lease: ConnectionLease) {
        let lease = primary.lease()
        return (Database(primary: primary, replica: replica, lease: lease), lease)
    }

    /// Reads on the primary, outside an explicit transaction (each statement sees committed data).
    public func read<T>(_ body: (PGConnection) throws -> T) throws -> T {
        if let lease { return try lease.withConnection(body) }
        return try primary.withConnection(body)
    }

    /// One business action = one transaction (OPS-68): data change, derived fields, chain append,
    /// notifications and the audit row commit together or not at all.
    public func transaction<T>(_ isolation: PGIsolation = .readCommitted, _ body: (PGConnection) throws -> T) throws -> T {
        if let lease { return try lease.withConnection { try $0.transaction(isolation, readOnly: false, body) } }
        return try primary.withTransaction(isolation, body)
    }

    /// A read the replica may serve (OPS-67); falls back to the primary when there is no replica or
    /// it is unreachable. Returns whether the replica answered (for `X-Read-Source`).
    public func replicaRead<T>(_ body: (PGConnection) throws -> T) throws -> (value: T, fromReplica: Bool) {
        if let replica {
            do {
                return (try replica.withConnection(body), true)
            } catch let error as PGError where error.isTransient {
                // Replica down or saturated: the primary answers instead.
            }
        }
        return (try read(body), false)
    }

    /// A REPEATABLE READ, READ ONLY transaction: several reads that must agree with each other
    /// (one snapshot). On the replica when `onReplica` and there is one, else on the primary —
    /// through the request's lease, so a request never holds two primary connections at once
    /// (with a small pool, every request waiting for its second connection would exhaust it).
    public func snapshot<T>(onReplica: Bool = false, _ body: (PGConnection) throws -> T) throws -> T {
        if onReplica, let replica {
            return try replica.withTransaction(.repeatableRead, readOnly: true, body)
        }
        if let lease { return try lease.withConnection { try $0.transaction(.repeatableRead, readOnly: true, body) } }
        return try primary.withTransaction(.repeatableRead, readOnly: true, body)
    }
}
