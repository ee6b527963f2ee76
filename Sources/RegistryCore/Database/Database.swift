import Locks
import Postgres

/// The registry's database access: the primary pool, and an optional read replica for the reads
/// operations.md OPS-67 allows (HTML pages, member-API GETs, reports, exports).
public final class Database: Sendable {
    public let primary: PostgresPool
    public let replica: PostgresPool?
    /// Set on a request's copy (`forOneRequest`): its primary connection is leased once.
    private let lease: ConnectionLease?
    /// Set on a copy made by `notingReplicaReads` or `readingReplica`: every answer of the replica
    /// is noted here.
    private let replicaReads: ReplicaReads?
    /// Set on a copy made by `readingReplica`: `read` is a `replicaRead`.
    private let readsGoToReplica: Bool

    public convenience init(primary: PostgresPool, replica: PostgresPool? = nil) {
        self.init(primary: primary, replica: replica, lease: nil, replicaReads: nil, readsGoToReplica: false)
    }

    private init(primary: PostgresPool, replica: PostgresPool?, lease: ConnectionLease?, replicaReads: ReplicaReads?,
                 readsGoToReplica: Bool) {
        self.primary = primary
        self.replica = replica
        self.lease = lease
        self.replicaReads = replicaReads
        self.readsGoToReplica = readsGoToReplica
    }

    /// A copy that records in `reads` whether the replica answered any read (`replicaRead`,
    /// `snapshot(onReplica:)`), for the response's `X-Read-Source` and to confirm a 404 on the
    /// primary (see `primaryOnly`).
    public func notingReplicaReads(_ reads: ReplicaReads) -> Database {
        Database(primary: primary, replica: replica, lease: lease, replicaReads: reads, readsGoToReplica: false)
    }

    /// A copy whose `read` is a `replicaRead` too (OPS-67: every read of a member-API GET may come
    /// from the replica), noted in `reads`. Transactions and snapshots stay where they were.
    public func readingReplica(_ reads: ReplicaReads) -> Database {
        Database(primary: primary, replica: replica, lease: lease, replicaReads: reads, readsGoToReplica: true)
    }

    /// A copy that reads only the primary, even where a replica read is allowed: to run a GET again
    /// when the replica did not find what it asked for, which may be only the replica's lag.
    public func primaryOnly() -> Database {
        Database(primary: primary, replica: nil, lease: lease, replicaReads: nil, readsGoToReplica: false)
    }

    /// A copy whose `read` and `transaction` reuse one primary connection until `lease.end()`
    /// (see `ConnectionLease` for why). The caller must call `end()` when the request is answered,
    /// on the thread that runs it.
    public func forOneRequest() -> (database: Database, lease: ConnectionLease) {
        let lease = primary.lease()
        return (Database(primary: primary, replica: replica, lease: lease, replicaReads: replicaReads,
                         readsGoToReplica: readsGoToReplica), lease)
    }

    /// Reads on the primary (on the replica for a `readingReplica` copy), outside an explicit
    /// transaction (each statement sees committed data).
    public func read<T>(_ body: (PGConnection) throws -> T) throws -> T {
        if readsGoToReplica { return try replicaRead(body).value }
        return try primaryRead(body)
    }

    private func primaryRead<T>(_ body: (PGConnection) throws -> T) throws -> T {
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
                let value = try replica.withConnection(body)
                replicaReads?.noteReplicaAnswered()
                return (value, true)
            } catch let error as PGError where error.isTransient || error.kind == .serializationFailure {
                // Replica down or saturated, or a read cancelled by a conflict with the WAL the
                // standby replays (SQLSTATE 40001): the primary answers instead.
            }
        }
        return (try primaryRead(body), false)
    }

    /// A REPEATABLE READ, READ ONLY transaction: several reads that must agree with each other
    /// (one snapshot). On the replica when `onReplica` and there is one, else on the primary —
    /// through the request's lease, so a request never holds two primary connections at once
    /// (with a small pool, every request waiting for its second connection would exhaust it).
    /// On the replica, the body must only read and return (it may run a second time, on the
    /// primary, when the replica fails as in `replicaRead`).
    public func snapshot<T>(onReplica: Bool = false, _ body: (PGConnection) throws -> T) throws -> T {
        if onReplica, let replica {
            do {
                let value = try replica.withTransaction(.repeatableRead, readOnly: true, body)
                replicaReads?.noteReplicaAnswered()
                return value
            } catch let error as PGError where error.isTransient || error.kind == .serializationFailure {
                // As `replicaRead`: the replica went away (or could not serve) between the
                // request's reads; the primary answers (OPS-67).
            }
        }
        if let lease { return try lease.withConnection { try $0.transaction(.repeatableRead, readOnly: true, body) } }
        return try primary.withTransaction(.repeatableRead, readOnly: true, body)
    }
}

/// Whether the replica answered any read of a request (`Database.readingReplica`).
public final class ReplicaReads: Sendable {
    private let answered = PlainLock(false)

    public init() {}

    func noteReplicaAnswered() { answered.withLock { $0 = true } }

    public var replicaAnswered: Bool { answered.withLock { $0 } }
}
