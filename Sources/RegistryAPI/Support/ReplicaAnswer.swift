import HTTPServer
import RegistryCore

/// OPS-67's handling of one read that may be answered by the replica, shared by the API pipeline and
/// the HTML view's bridged exports: the answer says `X-Read-Source: replica` when the replica gave
/// it, and a miss there (a 404, or a `.notFound` thrown by a handler that does not map its errors)
/// is confirmed on the primary first: the replica may only lag behind a record just written. A GET
/// changes nothing, so running it again is safe; it costs one more read only on a miss.
enum ReplicaAnswer {
    /// - Parameters:
    ///   - readsGoToReplica: every read of the request goes to the replica (member-API GETs); else
    ///     only the reads that ask for it (exports, reports, PREMIS, the audit log).
    ///   - run: answers the request on the database it is given.
    static func respond(_ database: Database, readsGoToReplica: Bool,
                        _ run: (Database) throws -> HTTPResponse) rethrows -> HTTPResponse {
        let reads = ReplicaReads()
        do {
            var response = try run(readsGoToReplica ? database.readingReplica(reads) : database.notingReplicaReads(reads))
            guard reads.replicaAnswered else { return response }
            guard response.status != 404 else { return try run(database.primaryOnly()) }
            response.headers.set("X-Read-Source", "replica")
            return response
        } catch RegistryError.notFound where reads.replicaAnswered {
            return try run(database.primaryOnly())
        }
    }
}
