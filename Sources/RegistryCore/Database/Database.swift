import Postgres

/// The registry's database access: the primary pool, and an optional read replica for the reads
/// operations.md OPS-67 allows (HTML pages, member-API GETs, reports, exports).
public final class Database: Sendable {
    public let primary: PostgresPool
    public let replica: PostgresPool?

    public init(primary: PostgresPool, replica: PostgresPool? = nil) {
        self.primary = primary
        self.replica = replica
    }

    /// Reads on the primary, outside an explicit transaction (each statement sees committed data).
    public func read<T>(_ body: (PGConnection) throws -> T) throws -> T {
        try primary.withConnection(body)
    }

    /// One business action = one transaction (OPS-68): data change, derived fields, chain append,
    /// notifications and the audit row commit together or not at all.
    public func transaction<T>(_ isolation: PGIsolation = .readCommitted, _ body: (PGConnection) throws -> T) throws -> T {
        try primary.withTransaction(isolation, body)
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
        return (try primary.withConnection(body), false)
    }
}
