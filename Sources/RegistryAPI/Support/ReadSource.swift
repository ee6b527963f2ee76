import HTTPServer
import Postgres
import RegistryCore

/// Where the object reads of a request go (operations.md OPS-67).
///
/// `/member-api/v2` GETs may be served by the read replica (falling back to the primary when it is
/// unreachable), and so may reports, exports, PREMIS and `/audit/log` on either prefix; every other
/// `/api/v2` request reads the primary, because the workers read their own writes immediately.
/// `X-Read-Source: replica` is set by `APIPipeline` whenever the replica answered a read.
extension APICall {
    /// Runs `body` on the connection OPS-67 prescribes; `fromReplica` tells whether the replica answered.
    func readForThisPrefix<T>(_ body: (PGConnection) throws -> T) throws -> (value: T, fromReplica: Bool) {
        if isMemberAPI { return try database.replicaRead(body) }
        return (try database.read(body), false)
    }

    /// The pool a streamed answer reads from: the one that answered the request's first read.
    func pool(fromReplica: Bool) -> PostgresPool {
        fromReplica ? (database.replica ?? database.primary) : database.primary
    }
}
