import Foundation
import Testing
import TestSupport

/// Bulk deletion, three parties (api-v2.md #40, #42–#44; domain.md DOM-130..132).
@Suite("Workflows: bulk deletion")
struct BulkDeletionTests {
    @Test("DOM-130..132: admin triggers, inst admin approves (new token to the other admins), a second admin approves; Delete items with both approvers; finished per file and object")
    func threePartyFlow() throws {
        let world = try WorkflowWorld.start()
        let one = try world.ingestedObject("one", files: 2)
        let two = try world.ingestedObject("two", files: 3)
        let empty = try world.ingestedObject("empty", files: 0)
        let base = "http://127.0.0.1:\(world.registry.port)"

        // Trigger: objects `one` and `empty`, one file of `two` (twice: repeats count once).
        let identList = [one.identifier, two.files[1], empty.identifier, two.files[1]]
        let triggered = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin,
                                       json: ["ident_list": identList])
        #expect(triggered.status == 204)
        let id = try #require(WorkflowWorld.requestID(triggered))
        let show = try world.send("GET", "/api/v2/deletions/\(id)", as: world.admin).jsonObject()
        #expect(show["kind"] as? String == "bulk" && show["status"] as? String == "requested")
        #expect(show["object_count"] as? Int == 2 && show["file_count"] as? Int == 3)
        #expect(show["object_identifiers"] as? [String] == [empty.identifier, one.identifier])
        #expect(show["file_identifiers"] as? [String] == one.files + [two.files[1]])
        let request = try world.rows("""
            SELECT recipients::text, subject, body, attachment_name, attachment_content_type, convert_from(attachment, 'UTF8')
            FROM notifications WHERE notification_type = 'bulk_deletion_request'
            """)[0]
        #expect(request[0] == "{admin2@test.edu,admin@test.edu}")
        #expect(request[1] == "Bulk deletion request \(id) for test.edu: please approve")
        let items = [empty.identifier, one.identifier].map { ($0, "\(base)/objects/\(WorkflowWorld.encode($0))") }
            + (one.files + [two.files[1]]).map { ($0, "\(base)/files/\(WorkflowWorld.encode($0))") }
        let token = try world.token(request: id, type: "bulk_deletion_request")
        let header = try NotificationLayout.check(request[2] ?? "", items: items)
        #expect(header.contains { $0.contains("\(base)/deletions/\(id)?token=\(token)") })
        #expect(request[3] == "bulk_deletion_\(id).csv" && request[4] == "text/csv; charset=utf-8")
        #expect(request[5]?.hasPrefix("Kind,Identifier\r\nobject,test.edu/empty\r\nobject,test.edu/one\r\n") == true)

        // Institutional approval (#43 [Compat], parameters in the query): only an inst admin of test.edu.
        let approveInstitution = "/api/v2/test.edu/confirm_bulk_delete_institution?bulk_delete_job_id=\(id)&confirmation_token=\(token)"
        let before = try world.snapshot()
        #expect(try world.send("POST", approveInstitution, as: world.admin).status == 403)
        #expect(try world.send("POST", approveInstitution, as: world.instUser).status == 403)
        #expect(try world.send("POST", "/api/v2/test.edu/confirm_bulk_delete_institution?bulk_delete_job_id=\(id)&confirmation_token=\(String(repeating: "a", count: 64))",
                               as: world.instAdmin).status == 409)
        #expect(try world.snapshot() == before)
        #expect(try world.send("POST", approveInstitution, as: world.instAdmin).status == 204)
        #expect(try world.scalar("SELECT status || ':' || (token_hash <> encode(sha256(convert_to($1, 'UTF8')), 'hex'))::text FROM deletion_requests",
                                 [token]) == "institution_approved:true")
        let partial = try world.rows("""
            SELECT recipients::text, subject, body FROM notifications WHERE notification_type = 'bulk_deletion_confirmation_partial'
            """)[0]
        #expect(partial[0] == "{ops@aptrust.org}")  // every active admin except the requester
        #expect(partial[1] == "Bulk deletion request \(id) for test.edu: APTrust approval needed")
        _ = try NotificationLayout.check(partial[2] ?? "", items: items)
        let adminToken = try world.token(request: id, type: "bulk_deletion_confirmation_partial")
        #expect(adminToken.count == 64 && adminToken != token)
        // The first token is spent.
        #expect(try world.send("POST", approveInstitution, as: world.instAdmin2).status == 409)

        // APTrust approval (#40 by id): the requesting admin may not (another admin exists); the other may.
        let beforeAdmin = try world.snapshot()
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.admin,
                               json: ["token": adminToken]).status == 403)
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin,
                               json: ["token": adminToken]).status == 403)
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.admin2,
                               json: ["token": token]).status == 409)
        #expect(try world.snapshot() == beforeAdmin)
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.admin2,
                               json: ["token": adminToken]).status == 204)

        // DOM-132: Delete items for the three covered active files, with both approvers; the empty
        // object is finished at once.
        let deletes = try world.rows("""
            SELECT generic_file_identifier, "user", inst_approver, aptrust_approver FROM work_items
            WHERE deletion_request_id = $1::bigint ORDER BY generic_file_identifier
            """, [String(id)])
        #expect(deletes == (one.files + [two.files[1]]).map { [$0, "system@aptrust.org", "admin@test.edu", "ops@aptrust.org"] })
        #expect(try world.scalar("SELECT state FROM intellectual_objects WHERE identifier = 'test.edu/empty'") == "D")
        #expect(try world.scalar("""
            SELECT outcome_information FROM premis_events WHERE event_type = 'deletion' AND intellectual_object_identifier = 'test.edu/empty'
            """) == "Object deleted at the request of system@aptrust.org. Institutional approver: admin@test.edu. APTrust approver: ops@aptrust.org.")
        let final = try world.rows("""
            SELECT recipients::text, subject, body FROM notifications WHERE notification_type = 'bulk_deletion_confirmation_final'
            """)[0]
        #expect(final[0] == "{admin2@test.edu,admin@test.edu,ops@aptrust.org,system@aptrust.org}")
        #expect(final[1] == "Bulk deletion request \(id) for test.edu approved")
        _ = try NotificationLayout.check(final[2] ?? "", items: items)

        // The worker finishes them; the object `two` keeps its other files and stays active.
        let worker = DeleteWorker(world: world)
        var finishedObjects = 0
        for item in try worker.items(request: id) {
            if try worker.work(item: item) { finishedObjects += 1 }
        }
        #expect(finishedObjects == 1)
        #expect(try world.rows("SELECT identifier, state FROM intellectual_objects ORDER BY identifier")
                == [["test.edu/empty", "D"], ["test.edu/one", "D"], ["test.edu/two", "A"]])
        #expect(try world.scalar("SELECT status FROM deletion_requests") == "completed")
        #expect(try world.count("SELECT count(*) FROM notifications WHERE notification_type = 'deletion_finished'") == 1)
    }

    @Test("DOM-130: unresolved entries → 422 listing them; D or pending entries → 409 listing them; nothing is created")
    func triggerRefusals() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("a", files: 1)
        try world.ingestedObject("gone", files: 1)
        try world.ingestedObject("busy", files: 1)
        try world.ingestedObject("elsewhere", files: 1, institution: "other.edu")
        try world.rows("UPDATE intellectual_objects SET state = 'D' WHERE identifier = 'test.edu/gone'")
        try world.rows("""
            INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status)
            SELECT 'busy.tar', 'e', now(), 'b', 'system@aptrust.org', id, 'n', 'o', 'Ingest', 'Receive', 'Pending'
            FROM institutions WHERE identifier = 'test.edu'
            """)
        let before = try world.snapshot()
        let unresolved = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete/", as: world.admin,
                                        json: ["ident_list": [object.identifier, "test.edu/nope", "other.edu/elsewhere"]])
        #expect(unresolved.status == 422)
        #expect(try unresolved.fieldErrors("ident_list") == [
            "not an object or file of this institution: test.edu/nope",
            "not an object or file of this institution: other.edu/elsewhere",
        ])
        let blocked = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin,
                                     json: ["ident_list": [object.files[0], "test.edu/gone", "test.edu/busy"]])
        #expect(blocked.status == 409)
        #expect(blocked.message?.contains("test.edu/gone is already deleted") == true)
        #expect(blocked.message?.contains("test.edu/busy has pending work (Ingest)") == true)
        #expect(blocked.message?.contains(object.files[0]) == false)
        let empty = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin, json: ["ident_list": []])
        #expect(empty.status == 422)
        let wrongType = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin, json: ["ident_list": [7]])
        #expect(try wrongType.fieldErrors("ident_list[0]") == ["must be a string"])
        // DOM-6: U+0000 is refused as a field error, not a 500 from the database.
        let nul = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin,
                                 json: ["ident_list": [object.identifier, "a\u{0}b"]])
        #expect(nul.status == 422)
        #expect(try nul.fieldErrors("ident_list[1]") == ["is invalid"])
        // Only admins trigger; an inst admin naming another institution does not learn it exists.
        #expect(try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.instAdmin,
                               json: ["ident_list": [object.identifier]]).status == 403)
        #expect(try world.send("POST", "/api/v2/other.edu/trigger_bulk_delete", as: world.instAdmin,
                               json: ["ident_list": ["x"]]).status == 404)
        #expect(try world.send("POST", "/api/v2/nowhere.edu/trigger_bulk_delete", as: world.admin,
                               json: ["ident_list": ["x"]]).status == 404)
        #expect(try world.snapshot() == before)
    }

    @Test("#44 [Compat] with parameters in the body; the sole admin may approve their own bulk request")
    func soleAdminApprovesOwnRequest() throws {
        let world = try WorkflowWorld.start()
        try world.rows("UPDATE users SET deactivated_at = now() WHERE email = 'ops@aptrust.org'")
        let object = try world.ingestedObject("a", files: 2)
        let triggered = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin,
                                       json: ["ident_list": [object.identifier]])
        let id = try #require(WorkflowWorld.requestID(triggered))
        let token = try world.token(request: id, type: "bulk_deletion_request")
        #expect(try world.send("POST", "/api/v2/test.edu/confirm_bulk_delete_institution", as: world.instAdmin2,
                               json: ["bulk_delete_job_id": id, "confirmation_token": token]).status == 204)
        #expect(try world.scalar("SELECT recipients::text FROM notifications WHERE notification_type = 'bulk_deletion_confirmation_partial'")
                == "{system@aptrust.org}")
        let adminToken = try world.token(request: id, type: "bulk_deletion_confirmation_partial")
        // Named under another institution's path, the request is not found (DOM-96a).
        #expect(try world.send("POST", "/api/v2/other.edu/confirm_bulk_delete_admin", as: world.admin,
                               json: ["bulk_delete_job_id": id, "confirmation_token": adminToken]).status == 404)
        #expect(try world.send("POST", "/api/v2/test.edu/confirm_bulk_delete_admin", as: world.admin,
                               json: ["confirmation_token": adminToken]).status == 422)
        // DOM-96b: a request named in the query that is not found is a 404 before a malformed body's 400.
        #expect(try world.send("POST", "/api/v2/test.edu/confirm_bulk_delete_admin?bulk_delete_job_id=999999", as: world.admin,
                               body: Array("{not json".utf8)).status == 404)
        #expect(try world.send("POST", "/api/v2/test.edu/confirm_bulk_delete_admin?bulk_delete_job_id=\(id)", as: world.admin,
                               body: Array("{not json".utf8)).status == 400)
        let approved = try world.send("POST", "/api/v2/test.edu/confirm_bulk_delete_admin", as: world.admin,
                                      json: ["bulk_delete_job_id": id, "confirmation_token": adminToken])
        #expect(approved.status == 204)
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action = 'Delete' AND aptrust_approver = 'system@aptrust.org'") == 2)
    }
}
