import Foundation
import Testing
import TestSupport

/// finish_delete (api-v2.md #10, #20, W21, W22; domain.md DOM-124, DOM-125, DOM-65, DOM-70, DOM-126).
@Suite("Workflows: finish_delete")
struct FinishDeleteTests {
    /// An approved object request for `bag` (3 files sized 1, 2, 3); returns the object.
    private func approvedObject(_ world: WorkflowWorld, _ bag: String = "bag") throws -> WorkflowWorld.Ingested {
        let object = try world.ingestedObject(bag, files: 3)
        let id = try #require(try world.requestObjectDeletion(object.identifier, as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        let confirmed = try world.send("DELETE", "/api/v2/objects/\(WorkflowWorld.encode(object.identifier))/confirm_delete?confirmation_token=\(token)",
                                       as: world.instAdmin2)
        try #require(confirmed.status == 204)
        return object
    }

    private func deletionEvent(_ world: WorkflowWorld, file: String, dateTime: String, outcome: String = "Success") throws -> Int {
        try world.send("POST", "/api/v2/events/", as: world.admin, json: [
            "identifier": UUID().uuidString.lowercased(), "event_type": "deletion", "date_time": dateTime,
            "detail": "File deleted", "outcome": outcome, "outcome_detail": "admin@test.edu", "object": "worker",
            "agent": "https://github.com/APTrust/preserv", "generic_file_identifier": file,
        ]).status
    }

    @Test("W21 / DOM-124, DOM-65, DOM-70: GET files/finish_delete after an approved request and a deletion event → 204, file D, records superseded, counts follow")
    func fileFinishW21() throws {
        let world = try WorkflowWorld.start()
        let object = try approvedObject(world)
        let file = object.files[2]
        #expect(try deletionEvent(world, file: file, dateTime: "2024-06-01T00:00:00Z") == 201)
        let response = try world.send("GET", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(file))/", as: world.admin)
        #expect(response.status == 204)
        #expect(response.headers.values("Deprecation").isEmpty)
        #expect(try world.scalar("SELECT state FROM generic_files WHERE identifier = $1", [file]) == "D")
        #expect(try world.scalar("SELECT file_count || ':' || file_size FROM intellectual_objects") == "2:3")
        #expect(try world.scalar("""
            SELECT bool_and(s.superseded_at IS NOT NULL) FROM storage_records s JOIN generic_files f ON f.id = s.generic_file_id
            WHERE f.identifier = $1
            """, [file]) == "t")
        #expect(try world.count("""
            SELECT count(*) FROM storage_records s JOIN generic_files f ON f.id = s.generic_file_id
            WHERE f.state = 'A' AND s.superseded_at IS NULL
            """) == 2)
        #expect(try world.scalar("SELECT status FROM deletion_requests") == "approved")
        let audit = try world.rows("""
            SELECT resource_type, resource_identifier, status::text, details::text FROM audit_log WHERE action = 'deletion.finish'
            """)
        #expect(audit == [["generic_file", file, "204", #"{"changes": {"state": ["A", "D"]}}"#]])
        // Idempotent: a repeat answers 204 and changes nothing but its audit row.
        #expect(try world.send("POST", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(file))", as: world.admin).status == 204)
        #expect(try world.scalar("SELECT file_count || ':' || file_size FROM intellectual_objects") == "2:3")
    }

    @Test("DOM-124: 409 without an approved request, without a successful deletion event, or with one older than the latest ingestion; non-admins 403")
    func fileFinishRefusals() throws {
        let world = try WorkflowWorld.start()
        let requested = try world.ingestedObject("pending", files: 1)
        _ = try world.requestObjectDeletion(requested.identifier, as: world.instAdmin)  // requested, not approved
        let object = try approvedObject(world)
        #expect(try deletionEvent(world, file: requested.files[0], dateTime: "2024-06-01T00:00:00Z") == 201)
        #expect(try deletionEvent(world, file: object.files[0], dateTime: "2024-04-01T00:00:00Z") == 201)  // before ingestion
        #expect(try deletionEvent(world, file: object.files[1], dateTime: "2024-06-01T00:00:00Z", outcome: "Failed") == 201)
        let before = try world.snapshot()
        for (file, caller, status) in [(requested.files[0], world.admin, 409), (object.files[0], world.admin, 409),
                                       (object.files[1], world.admin, 409), (object.files[2], world.admin, 409),
                                       (object.files[2], world.instAdmin, 403)] {
            let response = try world.send("GET", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(file))", as: caller)
            #expect(response.status == status, "\(file) as \(caller.email): \(response.text)")
        }
        #expect(try world.send("GET", "/api/v2/files/finish_delete/test.edu%2Fbag%2Fdata%2Fnone.txt", as: world.admin).status == 404)
        #expect(try world.snapshot() == before)
        // A file without any ingestion event needs only the approved request and a successful deletion event.
        try world.registry.sql().query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size)
            SELECT 'test.edu/bag/late.txt', id, identifier, institution_id, 'text/plain', 'https://s3.example.org/late', 5
            FROM intellectual_objects WHERE identifier = 'test.edu/bag'
            """)
        #expect(try deletionEvent(world, file: "test.edu/bag/late.txt", dateTime: "2020-01-01T00:00:00Z") == 201)
        #expect(try world.send("GET", "/api/v2/files/finish_delete/test.edu%2Fbag%2Flate.txt", as: world.admin).status == 204)
    }

    @Test("W22 / DOM-125: once every file is D, the state=A list is empty and objects/finish_delete writes one object deletion event and sets D")
    func objectFinishW22() throws {
        let world = try WorkflowWorld.start()
        let object = try approvedObject(world)
        let early = try world.snapshot()
        let refused = try world.send("GET", "/api/v2/objects/test.edu%2Fbag/finish_delete", as: world.admin)
        #expect(refused.status == 409)
        #expect(refused.message?.contains("3 active files") == true)
        #expect(try world.snapshot() == early)
        for file in object.files {
            #expect(try deletionEvent(world, file: file, dateTime: "2024-06-01T00:00:00Z") == 201)
            #expect(try world.send("GET", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(file))", as: world.admin).status == 204)
        }
        let list = try world.send("GET", "/api/v2/files/?intellectual_object_identifier=test.edu%2Fbag&state=A&page=1&per_page=2",
                                  as: world.admin)
        #expect(list.status == 200)
        #expect(try list.jsonObject()["count"] as? Int == 0)
        #expect(try world.send("GET", "/api/v2/objects/test.edu%2Fbag/finish_delete", as: world.instAdmin).status == 403)
        let finished = try world.send("GET", "/api/v2/objects/test.edu%2Fbag/finish_delete", as: world.admin)
        #expect(finished.status == 204)
        #expect(try world.scalar("SELECT state FROM intellectual_objects") == "D")
        #expect(try world.count("SELECT count(*) FROM premis_events WHERE event_type = 'deletion' AND generic_file_id IS NULL") == 1)
        let event = try world.send("GET", "/api/v2/events/?object_identifier=test.edu%2Fbag&event_type=deletion&per_page=10",
                                   as: world.admin).results().first { $0["generic_file_id"] is NSNull }
        #expect(event?["outcome"] as? String == "Success")
        #expect(event?["object"] as? String == "registry")
        #expect((event?["identifier"] as? String)?.count == 36)
        #expect(try world.scalar("SELECT status FROM deletion_requests") == "completed")
        #expect(try world.send("POST", "/api/v2/objects/test.edu%2Fbag/finish_delete", as: world.admin).status == 204)
        #expect(try world.count("SELECT count(*) FROM premis_events WHERE event_type = 'deletion' AND generic_file_id IS NULL") == 1)
    }

    @Test("DOM-125: an object with no file and no approved request is a 409; a prior object deletion event after ingestion is not repeated; SERVER_AGENT is the agent")
    func objectFinishRules() throws {
        let world = try WorkflowWorld.start(environment: ["SERVER_AGENT": "registry-test-agent/1"])
        try world.ingestedObject("empty", files: 0)
        let before = try world.snapshot()
        let refused = try world.send("GET", "/api/v2/objects/test.edu%2Fempty/finish_delete", as: world.admin)
        #expect(refused.status == 409)
        #expect(try world.snapshot() == before)

        // Every file deleted through file requests: (a) applies without an object request; the event
        // names the newest file request's people.
        let object = try world.ingestedObject("files", files: 1)
        let requested = try world.send("DELETE", "/api/v2/files/\(WorkflowWorld.encode(object.files[0]))", as: world.instAdmin)
        let id = try #require(WorkflowWorld.requestID(requested))
        let token = try world.token(request: id, type: "deletion_request")
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin2, json: ["token": token]).status == 204)
        #expect(try deletionEvent(world, file: object.files[0], dateTime: "2024-06-01T00:00:00Z") == 201)
        #expect(try world.send("GET", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(object.files[0]))", as: world.admin).status == 204)
        #expect(try world.scalar("SELECT status FROM deletion_requests") == "completed")
        // An object deletion event the worker already wrote after the ingestion is not repeated,
        // whatever its outcome (DOM-125 names none).
        #expect(try world.send("POST", "/api/v2/events/", as: world.admin, json: [
            "identifier": UUID().uuidString.lowercased(), "event_type": "deletion", "date_time": "2024-06-02T00:00:00Z",
            "detail": "Object deleted", "outcome": "Failed", "outcome_detail": "x", "object": "worker", "agent": "a",
            "intellectual_object_identifier": object.identifier,
        ]).status == 201)
        #expect(try world.send("GET", "/api/v2/objects/\(WorkflowWorld.encode(object.identifier))/finish_delete", as: world.admin).status == 204)
        #expect(try world.count("SELECT count(*) FROM premis_events WHERE object = 'registry'") == 0)

        // Without a prior event the server writes one with SERVER_AGENT.
        let third = try approvedObject(world, "third")
        for file in third.files {
            #expect(try deletionEvent(world, file: file, dateTime: "2024-06-01T00:00:00Z") == 201)
            #expect(try world.send("GET", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(file))", as: world.admin).status == 204)
        }
        #expect(try world.send("GET", "/api/v2/objects/test.edu%2Fthird/finish_delete", as: world.admin).status == 204)
        #expect(try world.rows("SELECT agent, outcome_detail FROM premis_events WHERE object = 'registry'")
                == [["registry-test-agent/1", "admin@test.edu"]])
    }
}
