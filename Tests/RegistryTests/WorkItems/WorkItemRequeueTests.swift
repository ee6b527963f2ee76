import Foundation
import Testing
import TestSupport

/// `PUT /api/v2/items/{id}/requeue` (route #35, domain.md DOM-115).
@Suite("Work items: requeue")
struct WorkItemRequeueTests {
    /// An item of `action` that failed at `stage`, with a worker's traces and a state row.
    private func failedItem(_ api: WorkItemFixture, _ action: String, stage: String = "Store") throws -> Int {
        let id = try api.create(api.ingestItem("\(action.filter(\.isLetter)).tar", [
            "action": action, "stage": stage, "status": "Failed", "retry": false, "needs_admin_review": true,
            "node": "worker-7", "pid": 4242, "queued_at": "2024-01-01T00:00:00Z", "stage_started_at": "2024-01-01T00:01:00Z",
            "note": "boom", "outcome": "Failed badly",
        ]))["id"] as? Int ?? 0
        let state = try api.send("POST", "/api/v2/item_state/", json: ["work_item_id": id, "state": "{}"])
        #expect(state.status == 201)
        return id
    }

    private func stateCount(_ api: WorkItemFixture, _ id: Int) throws -> String? {
        try api.scalar("SELECT count(*) FROM work_item_states WHERE work_item_id = $1", [String(id)])
    }

    @Test("DOM-115: each action/stage row of the table, with the common resets")
    func table() throws {
        let api = try WorkItemFixture.start()
        // (action, how the stage is sent, expected stage, note, outcome, state rows left)
        let rows: [(String, String, String, String, String, String)] = [
            ("Delete", "", "Requested", "Delete requested", "Not started", "1"),
            ("Restore", "", "Requested", "Restore requested", "Failed badly", "1"),
            ("Restore", "?delete_state=true", "Requested", "Restore requested", "Failed badly", "0"),
            ("Glacier Restore", "body:{\"delete_state\":true}", "Requested", "Restore requested", "Failed badly", "0"),
            ("Ingest", "body:{\"stage\":\"Fetch\"}", "Receive", "Item is pending ingest", "Failed badly", "0"),
            ("Ingest", "?stage=Store", "Store", "Item is pending storage", "Failed badly", "1"),
            ("Ingest", "body:{\"stage\":\"Record\",\"delete_state\":false}", "Record", "Item is pending record", "Failed badly", "1"),
            ("Fixity Check", "", "Validate", "boom", "Failed badly", "1"),
        ]
        for (action, parameters, stage, note, outcome, states) in rows {
            let id = try failedItem(api, action, stage: "Validate")
            var path = "/api/v2/items/\(id)/requeue/"
            var body: [UInt8]?
            if parameters.hasPrefix("?") { path += parameters }
            if parameters.hasPrefix("body:") { body = Array(parameters.dropFirst(5).utf8) }
            let response = try api.send("PUT", path, body: body)
            #expect(response.status == 200, "\(action) \(parameters): \(response.text)")
            let item = try response.jsonObject()
            #expect(item["stage"] as? String == stage, "\(action) \(parameters)")
            #expect(item["note"] as? String == note, "\(action) \(parameters)")
            #expect(item["outcome"] as? String == outcome, "\(action) \(parameters)")
            #expect(item["status"] as? String == "Pending")
            #expect(item["retry"] as? Bool == true)
            #expect(item["needs_admin_review"] as? Bool == false)
            #expect(isNull(item["node"]) && item["pid"] as? Int == 0)
            #expect(isNull(item["queued_at"]) && isNull(item["stage_started_at"]))
            #expect(try stateCount(api, id) == states, "\(action) \(parameters)")
            if states == "0" { #expect(isNull(item["work_item_state_id"])) }
        }
        let audit = try api.scalar("""
            SELECT details->'changes'->'status' FROM audit_log WHERE action = 'work_item.requeue' ORDER BY id LIMIT 1
            """)
        #expect(audit == #"["Failed", "Pending"]"#)
        #expect(try api.scalar("SELECT count(*) FROM audit_log WHERE action = 'work_item.requeue'") == String(rows.count))
    }

    @Test("DOM-115: Success → 409; Ingest without a valid stage → 422 before the 409 (DOM-96b)")
    func conflictsAndValidation() throws {
        let api = try WorkItemFixture.start()
        let done = try api.create(api.ingestItem("d.tar", ["action": "Delete", "stage": "Resolve", "status": "Success"]))["id"] as? Int ?? 0
        let conflict = try api.send("PUT", "/api/v2/items/\(done)/requeue")
        #expect(conflict.status == 409)
        #expect(try conflict.jsonObject()["message"] as? String == "work item \(done) has status Success and cannot be requeued")
        let ingest = try failedItem(api, "Ingest")
        for path in ["/api/v2/items/\(ingest)/requeue", "/api/v2/items/\(ingest)/requeue?stage=Validate"] {
            let response = try api.send("PUT", path)
            #expect(response.status == 422)
            #expect(fieldError(response, "stage") == "is not included in the list")
        }
        let ingestDone = try api.create(api.ingestItem("s.tar", ["stage": "Cleanup", "status": "Success"]))["id"] as? Int ?? 0
        #expect(try api.send("PUT", "/api/v2/items/\(ingestDone)/requeue").status == 422)
        #expect(try api.send("PUT", "/api/v2/items/\(ingestDone)/requeue?stage=Fetch").status == 409)
        let badFlag = try api.send("PUT", "/api/v2/items/\(ingest)/requeue?stage=Fetch&delete_state=yes")
        #expect(badFlag.status == 400)
        let badBody = try api.send("PUT", "/api/v2/items/\(ingest)/requeue", json: ["stage": "Fetch", "delete_state": "yes"])
        #expect(fieldError(badBody, "delete_state") == "must be a boolean")
        let unknown = try api.send("PUT", "/api/v2/items/\(ingest)/requeue?force=true")
        #expect(try unknown.jsonObject()["message"] as? String == "unknown query parameter: force")
        #expect(try api.scalar("SELECT count(*) FROM audit_log WHERE action = 'work_item.requeue'") == "0")
        #expect(try api.scalar("SELECT status FROM work_items WHERE id = $1", [String(ingest)]) == "Failed")
    }

    @Test("§7.2: requeue is admin only (403 for an own inst admin, 404 for another institution); GET is 405")
    func permissions() throws {
        let api = try WorkItemFixture.start()
        let id = try failedItem(api, "Delete")
        #expect(try api.send("PUT", "/api/v2/items/\(id)/requeue", as: api.instAdmin).status == 403)
        #expect(try api.send("PUT", "/api/v2/items/\(id)/requeue", as: api.otherAdmin).status == 404)
        #expect(try api.send("PUT", "/api/v2/items/999999/requeue").status == 404)
        #expect(try api.send("GET", "/api/v2/items/\(id)/requeue").status == 405)
        #expect(try api.scalar("SELECT status FROM work_items WHERE id = $1", [String(id)]) == "Failed")
    }
}
