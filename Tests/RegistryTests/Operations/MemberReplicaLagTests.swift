import Foundation
import Testing
import TestSupport

/// OPS-67 with a replica that lags: member-API GETs read the replica, but a record it does not have
/// yet is confirmed on the primary before a 404 is sent, so a caller reads what was just written
/// (a deletion request it has just made, an object a worker has just stored).
@Suite("OPS-67: member-API GETs on a lagging replica")
struct MemberReplicaLagTests {
    @Test("records the replica lacks are answered by the primary; unknown and foreign ones stay 404; lists read the replica")
    func lagIsConfirmedOnThePrimary() throws {
        let world = try WorkflowWorld.start(environment: ["DATABASE_READ_URL": try TestRegistry.laggingReplicaURL()])
        let bag = try world.ingestedObject("lagging", files: 2)
        let requestID = try #require(try world.requestObjectDeletion(bag.identifier, as: world.instAdmin))
        let encodedObject = WorkflowWorld.encode(bag.identifier)

        for path in ["/deletions/\(requestID)", "/objects/\(encodedObject)", "/objects/\(bag.id)",
                     "/files/\(WorkflowWorld.encode(bag.files[0]))", "/objects/\(encodedObject)/premis"] {
            let response = try world.send("GET", "/member-api/v2" + path, as: world.instAdmin)
            #expect(response.status == 200, "\(path): \(response.status) \(response.text.prefix(200))")
            #expect(response.headers["X-Read-Source"] == nil, "\(path) was answered by the primary")
        }
        let shown = try world.send("GET", "/member-api/v2/deletions/\(requestID)", as: world.instAdmin)
        #expect(shown.text.contains(bag.identifier))

        // The primary's answer is still confined to the caller's institution (DOM-96b).
        for path in ["/deletions/\(requestID)", "/objects/\(encodedObject)"] {
            let foreign = try world.send("GET", "/member-api/v2" + path, as: world.otherAdmin)
            #expect(foreign.status == 404, "\(path) as another institution: \(foreign.status)")
        }
        let unknown = try world.send("GET", "/member-api/v2/deletions/987654321", as: world.instAdmin)
        #expect(unknown.status == 404)
        #expect(unknown.text.contains("\"error\""))

        // A list has no record to miss: the replica answers it, lag and all.
        let list = try world.send("GET", "/member-api/v2/deletions", as: world.instAdmin)
        #expect(list.status == 200)
        #expect(list.headers["X-Read-Source"] == "replica")
        #expect(!list.text.contains(bag.identifier), "the replica does not have the request yet")
    }
}
