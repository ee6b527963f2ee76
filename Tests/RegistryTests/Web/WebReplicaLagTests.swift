import Foundation
import Testing
import TestSupport

/// OPS-67: HTML GET pages read from the replica. A record committed on the primary that the replica
/// does not have yet (replication lag) is confirmed on the primary before a 404 goes out, so the
/// page a form redirects to after creating a record is found; a record nobody has stays a 404.
@Suite("HTML: pages on a lagging replica")
struct WebReplicaLagTests {
    @Test("a record the replica does not have yet is shown from the primary; an unknown one is a 404")
    func recordMissingOnTheReplica() throws {
        let world = try WebWorld.start(environment: ["DATABASE_READ_URL": try TestRegistry.laggingReplicaURL()])
        try world.registry.makeObject("test.edu/fresh")
        try world.registry.makeFile("test.edu/fresh/data/a.txt")
        for path in ["/objects/" + encoded("test.edu/fresh"), "/files/" + encoded("test.edu/fresh/data/a.txt"),
                     "/institutions/test.edu"] {
            let page = try world.admin.get(path)
            #expect(page.status == 200, "\(path): \(page.status)")
            #expect(page.headers["X-Read-Source"] == nil, "\(path) was answered by the primary")
            #expect(page.text.contains("test.edu"), "\(path)")
        }
        // Still confined to the caller's institution on the primary (DOM-96b: 404, never a leak).
        #expect(try world.otherAdmin.get("/objects/" + encoded("test.edu/fresh")).status == 404)
        #expect(try world.admin.get("/objects/" + encoded("test.edu/never-stored")).status == 404)
        let list = try world.admin.get("/objects")
        #expect(list.status == 200)
        #expect(list.headers["X-Read-Source"] == "replica", "a list is answered by the replica, lag and all")
        // The session-authenticated export and PREMIS links run the API's code; they are replica
        // reads too (OPS-67) and say so, and PREMIS of an object the replica lacks comes from the primary.
        for format in ["csv", "ndjson"] {
            let export = try world.admin.get("/events/export?format=\(format)")
            #expect(export.status == 200, "\(format)")
            #expect(export.headers["X-Read-Source"] == "replica", "\(format)")
        }
        let premis = try world.admin.get("/objects/" + encoded("test.edu/fresh") + "/premis.xml")
        #expect(premis.status == 200)
        #expect(premis.headers["X-Read-Source"] == nil, "PREMIS of a record the replica lacks was answered by the primary")
        #expect(try world.admin.get("/objects/" + encoded("test.edu/never-stored") + "/premis.xml").status == 404)
        #expect(try world.registry.client().request(method: "GET", path: "/health").status == 200)
    }
}
