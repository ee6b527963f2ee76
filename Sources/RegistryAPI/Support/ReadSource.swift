import HTTPServer
import Postgres
import RegistryCore

/// Where the object reads of a request go (operations.md OPS-67).
///
/// Only `/member-api/v2` GETs may be served by the read replica (falling back to the primary
/// when it is unreachable) and then say so with `X-Read-Source: replica`; every `/api/v2`
/// request reads the primary, because the workers read their own writes immediately.
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

    /// `X-Read-Source: replica` when the replica answered (OPS-67).
    static func readSourceHeaders(fromReplica: Bool) -> HTTPHeaders {
        fromReplica ? HTTPHeaders(["X-Read-Source": "replica"]) : HTTPHeaders()
    }
}

extension HTTPResponse {
    /// This response with `extra` header fields appended.
    func adding(_ extra: HTTPHeaders) -> HTTPResponse {
        var response = self
        for field in extra { response.headers.add(field.name, field.value) }
        return response
    }
}
