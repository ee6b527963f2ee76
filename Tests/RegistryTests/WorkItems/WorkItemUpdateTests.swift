import Foundation
import Testing
import TestSupport

/// `PUT`/`PATCH /api/v2/items/{id}` (route #34, api-v2.md API-107; domain.md DOM-66, DOM-66a,
/// DOM-75, DOM-100) and `GET /api/v2/items/{id}` (route #32).
@Suite("Work items: show and update")
struct WorkItemUpdateTests {
    @Test("W4: PUT the full record with queued_at → exactly 200; the change is audited")
    func w4FullPut() throws {
        let api = try WorkItemFixture.start()
        var item = try api.create(api.ingestItem())
        let id = item["id"] as? Int ?? 0
        item["queued_at"] = "2024-05-02T10:00:00.5Z"
        let response = try api.send("PUT", "/api/v2/items/\(id)/", json: item)
        #expect(response.status == 200)
        let updated = try response.jsonObject()
        #expect(updated["queued_at"] as? String == "2024-05-02T10:00:00.500000Z")
        #expect(updated["id"] as? Int == id)
        #expect(try api.show(id)["queued_at"] as? String == "2024-05-02T10:00:00.500000Z")
        let details = try api.scalar("SELECT details::text FROM audit_log WHERE action = 'work_item.update' AND resource_id = $1",
                                     [String(id)])
        #expect(details == #"{"changes": {"queued_at": [null, "2024-05-02T10:00:00.500000Z"]}}"#)
        #expect(try api.scalar("SELECT status FROM audit_log WHERE action = 'work_item.update'") == "200")
    }

    @Test("API-107/DOM-100: PATCH and PUT leave absent fields; null clears; \"\" is NULL; any status change is accepted")
    func partialUpdates() throws {
        let api = try WorkItemFixture.start()
        let created = try api.create(api.ingestItem("bag1.tar", ["node": "worker-1", "pid": 42, "retry": true,
                                                                 "needs_admin_review": true, "inst_approver": "a@test.edu"]))
        let id = created["id"] as? Int ?? 0
        // DOM-100: Pending → Success → Started, no state machine on PUT.
        for status in ["Success", "Started", "Cancelled", "Pending"] {
            #expect(try api.send("PATCH", "/api/v2/items/\(id)", json: ["status": status]).status == 200)
        }
        let patched = try api.send("PATCH", "/api/v2/items/\(id)", json: ["work_item": ["stage": "Fetch", "size": NSNull()]])
        #expect(patched.status == 200)
        let item = try patched.jsonObject()
        #expect(item["stage"] as? String == "Fetch")
        #expect(isNull(item["size"]))
        // DOM-66: retry and needs_admin_review absent → kept.
        #expect(item["retry"] as? Bool == true)
        #expect(item["needs_admin_review"] as? Bool == true)
        #expect(item["node"] as? String == "worker-1")
        #expect(item["pid"] as? Int == 42)
        #expect(item["note"] as? String == "Item is in receiving bucket")
        // DOM-66a: "" and null clear optional text; Go zero time clears a nullable time.
        let cleared = try api.send("PUT", "/api/v2/items/\(id)/", json: [
            "node": "", "inst_approver": NSNull(), "etag": "", "stage_started_at": "0001-01-01T00:00:00Z", "retry": false,
        ] as [String: Any])
        #expect(cleared.status == 200)
        let after = try cleared.jsonObject()
        #expect(isNull(after["node"]))
        #expect(isNull(after["inst_approver"]))
        #expect(isNull(after["etag"]))
        #expect(after["retry"] as? Bool == false)
        #expect(try api.scalar("SELECT count(*) FROM work_items WHERE node IS NULL AND etag IS NULL AND inst_approver IS NULL") == "1")
        // Unknown and server-managed fields are ignored (API-24).
        let ignored = try api.send("PUT", "/api/v2/items/\(id)", json: ["id": 999, "created_at": "2001-01-01T00:00:00Z",
                                                                        "work_item_state_id": 5, "dpn_uuid": "x"])
        #expect(ignored.status == 200)
        #expect(try ignored.jsonObject()["created_at"] as? String == created["created_at"] as? String)
    }

    @Test("API-107: action and institution_id only unchanged; null for a required field is 422; nothing stored")
    func immutableAndRequired() throws {
        let api = try WorkItemFixture.start()
        let created = try api.create(api.ingestItem())
        let id = created["id"] as? Int ?? 0
        let sameAction = try api.send("PUT", "/api/v2/items/\(id)", json: ["action": "Ingest", "institution_id": api.testEduID,
                                                                           "note": "same action"])
        #expect(sameAction.status == 200)
        let response = try api.send("PUT", "/api/v2/items/\(id)", json: [
            "action": "Restore", "institution_id": api.otherEduID, "name": NSNull(), "status": "Done", "retry": NSNull(),
            "pid": NSNull(), "note": "", "bag_date": NSNull(), "stage": 3, "note_extra": 1,
        ] as [String: Any])
        #expect(response.status == 422)
        let expected: [String: String] = [
            "action": "cannot be changed", "institution_id": "cannot be changed", "name": "can't be blank",
            "status": "is not included in the list", "retry": "can't be blank", "pid": "can't be blank",
            "note": "can't be blank", "bag_date": "can't be blank", "stage": "must be a string",
        ]
        for (field, message) in expected {
            #expect(fieldError(response, field) == message, "\(field)")
        }
        #expect(try api.show(id)["note"] as? String == "same action")
        // API-25: a wrong type is reported as such, also on a field that may not change.
        for (value, message) in [(5 as Any, "must be a string"), (NSNull() as Any, "can't be blank"),
                                 ("ingest" as Any, "is not included in the list")] {  // §3: exact values
            let typed = try api.send("PUT", "/api/v2/items/\(id)", json: ["action": value])
            #expect(typed.status == 422)
            #expect(fieldError(typed, "action") == message)
        }
        #expect(try api.scalar("SELECT count(*) FROM audit_log WHERE action = 'work_item.update'") == "1")
    }

    @Test("DOM-6 [Compat]: an update's long note is truncated at a UTF-8 boundary")
    func noteTruncationOnUpdate() throws {
        let api = try WorkItemFixture.start()
        let id = try api.create(api.ingestItem())["id"] as? Int ?? 0
        let note = String(repeating: "€", count: 30_000)
        let response = try api.send("PUT", "/api/v2/items/\(id)", json: ["note": note, "status": "Failed"])
        #expect(response.status == 200)
        #expect(try response.jsonObject()["note"] as? String == String(repeating: "€", count: 21_845))
    }

    @Test("DOM-75: at Cleanup/Success the ingest item gets object_identifier from its multipart name, and the object id")
    func derivationOnUpdate() throws {
        let api = try WorkItemFixture.start()
        let id = try api.create(api.ingestItem("bag5.b002.of003.tar"))["id"] as? Int ?? 0
        let store = try api.send("PUT", "/api/v2/items/\(id)", json: ["stage": "Store", "status": "Success"]).jsonObject()
        #expect(isNull(store["object_identifier"]))
        let (objectID, _) = try insertObjectAndFile(api, bag: "bag5")
        let done = try api.send("PUT", "/api/v2/items/\(id)", json: ["stage": "Cleanup", "status": "Success", "object_identifier": ""])
        let item = try done.jsonObject()
        #expect(item["object_identifier"] as? String == "test.edu/bag5")
        #expect(item["intellectual_object_id"] as? Int == objectID)
    }

    @Test("§7.2/DOM-96a/b: show and update visibility — 404 for another tenant or unknown id, 403 for own non-admin")
    func visibility() throws {
        let api = try WorkItemFixture.start()
        let id = try api.create(api.ingestItem())["id"] as? Int ?? 0
        // Inst users and inst admins see their own items without node and pid.
        for caller in [api.instAdmin, api.instUser] {
            let shown = try api.send("GET", "/api/v2/items/\(id)/", as: caller)
            #expect(shown.status == 200)
            let item = try shown.jsonObject()
            #expect(item["node"] == nil && item["pid"] == nil)
            #expect(item.count == 28)
            let member = try api.send("GET", "/member-api/v2/items/\(id)", as: caller)
            #expect(member.status == 200)
            #expect(member.body == shown.body)
            // Updating an own item is forbidden (visible record, action not permitted).
            let put = try api.send("PUT", "/api/v2/items/\(id)", as: caller, json: ["note": "x"])
            #expect(put.status == 403)
        }
        let admin = try api.show(id)
        #expect(admin["pid"] as? Int == 0)
        #expect(admin.keys.contains("node"))
        // Another institution's item is answered exactly like a missing one.
        let hidden = try api.send("GET", "/api/v2/items/\(id)", as: api.otherAdmin)
        let missing = try api.send("GET", "/api/v2/items/999999", as: api.otherAdmin)
        #expect(hidden.status == 404 && missing.status == 404)
        #expect(try hidden.jsonObject()["message"] as? String == "work item not found: \(id)")
        #expect(try missing.jsonObject()["message"] as? String == "work item not found: 999999")
        let hiddenPut = try api.send("PUT", "/api/v2/items/\(id)", as: api.otherAdmin, json: ["note": "x"])
        #expect(hiddenPut.status == 404)
        // DOM-96b: an invisible record is 404 even with a malformed body; a visible one 403 before 400.
        let malformed: [UInt8] = Array("{".utf8)
        #expect(try api.send("PUT", "/api/v2/items/\(id)", as: api.otherAdmin, body: malformed).status == 404)
        #expect(try api.send("PUT", "/api/v2/items/\(id)", as: api.instAdmin, body: malformed).status == 403)
        #expect(try api.send("PUT", "/api/v2/items/\(id)", body: malformed).status == 400)
        #expect(try api.send("GET", "/api/v2/items/abc").status == 404)
        #expect(try api.send("PUT", "/api/v2/items/424242", json: ["note": "x"]).status == 404)
        #expect(try api.send("DELETE", "/api/v2/items/\(id)").status == 405)
    }
}

/// API-107 on `deletion_request_id`: a nullable field (not one of API-24's reference ids).
@Suite("Work items: deletion_request_id on update")
struct WorkItemDeletionRequestLinkTests {
    @Test("API-107: 0 leaves the link (the workers' echo), null clears it, a positive id sets it")
    func nullClears() throws {
        let api = try WorkItemFixture.start()
        let requestID = try #require(try api.scalar("""
            INSERT INTO deletion_requests (institution_id, kind, requested_by_id, token_expires_at)
            VALUES ($1::bigint, 'object', (SELECT id FROM users WHERE email = $2), now() + interval '1 day')
            RETURNING id
            """, [String(api.testEduID), api.instAdmin.email]))
        let id = try api.create(api.ingestItem("bag1.tar", etag: "etag-1", ["deletion_request_id": Int(requestID) ?? 0]))["id"] as? Int ?? 0
        func link() throws -> String? { try api.scalar("SELECT deletion_request_id::text FROM work_items WHERE id = \(id)") }
        #expect(try link() == requestID)
        #expect(try api.send("PUT", "/api/v2/items/\(id)", json: ["deletion_request_id": 0]).status == 200)
        #expect(try link() == requestID)
        #expect(try api.send("PUT", "/api/v2/items/\(id)", json: ["deletion_request_id": NSNull()]).status == 200)
        #expect(try link() == nil)
        #expect(try api.send("PUT", "/api/v2/items/\(id)", json: ["deletion_request_id": Int(requestID) ?? 0]).status == 200)
        #expect(try link() == requestID)
    }
}
