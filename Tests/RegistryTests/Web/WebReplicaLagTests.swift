import Foundation
import Testing
import TestSupport

/// OPS-67: HTML GET pages read from the replica. A record committed on the primary that the replica
/// does not have yet (replication lag) must not be found on the primary and then read from the
/// replica: the page looks it up where it reads it.
@Suite("HTML: pages on a lagging replica")
struct WebReplicaLagTests {
    @Test("a record the replica does not have yet is a 404 on its GET page, and the server stays up")
    func recordMissingOnTheReplica() throws {
        // The "replica": a migrated database of its own that never receives the primary's rows,
        // i.e. one that lags forever.
        let replicaConninfo = try TestPostgres.freshDatabase(prefix: "lag")
        _ = try TestRegistry.start(conninfo: replicaConninfo)
        let world = try WebWorld.start(environment: ["DATABASE_READ_URL": TestRegistry.url(fromConninfo: replicaConninfo)])
        try world.registry.makeObject("test.edu/fresh")
        try world.registry.makeFile("test.edu/fresh/data/a.txt")
        for path in ["/objects/" + encoded("test.edu/fresh"), "/files/" + encoded("test.edu/fresh/data/a.txt"),
                     "/institutions/test.edu"] {
            let page = try world.admin.get(path)
            #expect(page.status == 404, "\(path): \(page.status)")
        }
        #expect(try world.admin.get("/objects").status == 200, "the server is still up")
        #expect(try world.registry.client().request(method: "GET", path: "/health").status == 200)
    }
}
