import Foundation
import Testing
import TestSupport

/// operations.md OPS-67 for every member-API GET, not only objects: with DATABASE_READ_URL set
/// (here: the server's own database, so the answers stay comparable), member-API GETs read the
/// replica and say so; `/api/v2` reads and the audit chain's head, proof and consistency never do.
@Suite("OPS-67: member-API GETs read the replica")
struct MemberReplicaReadTests {
    @Test("every member-API list and show says X-Read-Source: replica; the same /api/v2 GET and audit reads do not")
    func memberReadsComeFromTheReplica() throws {
        let world = try ObjectWorld(sameDatabaseAsReplica: true)
        let objectID = try #require(try world.createObject("test.edu/bag")["id"] as? Int)
        try world.registry.appendEvents(TestRegistry.events(2, object: "test.edu/bag"))
        let itemID = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(objectIdentifier: "test.edu/bag"))
        let eventIdentifier = try #require(try world.registry.sql().scalar(
            "SELECT identifier::text FROM premis_events ORDER BY id LIMIT 1"))

        let memberReads = [
            "/objects/\(objectID)", "/events?object_identifier=test.edu%2Fbag", "/events/\(eventIdentifier)",
            "/events/test.edu%2Fbag", "/items", "/items/\(itemID)", "/files?object_identifier=test.edu%2Fbag",
            "/checksums", "/institutions", "/institutions/test.edu", "/storage_records", "/deletions",
            "/fixity/overdue?days=30",
        ]
        for path in memberReads {
            let member = try world.get("/member-api/v2" + path, as: world.instAdmin)
            #expect(member.status == 200, "member \(path): \(member.text.prefix(200))")
            #expect(member.headers["X-Read-Source"] == "replica", "member \(path)")
            let worker = try world.get("/api/v2" + path, as: world.instAdmin)
            #expect(worker.status == 200, "api \(path): \(worker.text.prefix(200))")
            #expect(worker.headers["X-Read-Source"] == nil, "api \(path)")
        }
        // Reports, exports, PREMIS and the audit log may read the replica on /api/v2 too.
        for path in ["/api/v2/reports/overview?institution=test.edu", "/api/v2/reports/storage",
                     "/api/v2/events/export?format=ndjson&institution=test.edu", "/api/v2/objects/test.edu%2Fbag/premis",
                     "/api/v2/audit/log"] {
            let response = try world.get(path, as: world.admin)
            #expect(response.status == 200, "\(path): \(response.text.prefix(200))")
            #expect(response.headers["X-Read-Source"] == "replica", "\(path)")
        }
        // The chain's head and proofs are compared with heads recorded elsewhere: always current.
        for path in ["/audit/head", "/events/\(eventIdentifier)/proof", "/audit/consistency?from_sequence=0"] {
            let member = try world.get("/member-api/v2" + path, as: world.instAdmin)
            #expect(member.status == 200, "member \(path): \(member.text.prefix(200))")
            #expect(member.headers["X-Read-Source"] == nil, "member \(path)")
        }
    }
}
