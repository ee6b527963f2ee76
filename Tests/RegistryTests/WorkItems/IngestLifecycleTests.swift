import Foundation
import Testing
import TestSupport

/// The ingest item's life as the workers record it (domain.md §8.2 steps 1–6), call by call. The
/// object, file, event and checksum calls of steps 4–5 belong to other resources; the object the
/// record step creates is written directly here.
@Suite("Work items: ingest lifecycle (§8.2)")
struct IngestLifecycleTests {
    @Test("§8.2: bucket reader → poller → fetch/validate → store → record → cleanup; DOM-75 derives the object")
    func ingestLifecycle() throws {
        let api = try WorkItemFixture.start()
        let poll = "/api/v2/items/?node_empty=true&page=1&per_page=100&queued=false&retry=true&status=Pending"

        // Step 1, bucket reader: look up by name and etag; none → POST (201) → PUT queued_at (200).
        let lookup = try api.send("GET", "/api/v2/items/?item_action=Ingest&name=bag1.tar&etag=abc123&page=1&per_page=1")
        #expect(try lookup.jsonObject()["count"] as? Int == 0)
        let posted = try api.send("POST", "/api/v2/items/", json: api.ingestItem("bag1.tar", etag: "abc123"))
        #expect(posted.status == 201)
        var item = try posted.jsonObject()
        let id = item["id"] as? Int ?? 0
        // Until it is queued the poller would pick it up (step 2)…
        #expect(try ids(api, poll) == [id])
        item["queued_at"] = "2024-05-01T14:00:00.123456789Z"
        item = try put(api, id, item)
        #expect(item["stage"] as? String == "Receive" && item["status"] as? String == "Pending")
        #expect(item["retry"] as? Bool == true && item["user"] as? String == "system@aptrust.org")
        // …and once queued it does not.
        #expect(try ids(api, poll) == [])

        // Step 3, fetch/validate.
        item = try api.show(id)
        let byName = try api.send("GET", "/api/v2/items/?item_action=Ingest&name=bag1.tar").jsonObject()
        #expect(byName["count"] as? Int == 1)
        item["stage"] = "Fetch"
        item["status"] = "Started"
        item["node"] = "ip-10-0-0-7"
        item["pid"] = 3187
        item["stage_started_at"] = "2024-05-01T14:01:00Z"
        item = try put(api, id, item)
        let state1 = try api.send("POST", "/api/v2/item_state/", json: ["work_item_id": id, "action": "Ingest",
                                                                         "state": #"{"attempt":1}"#])
        #expect(state1.status == 201)
        // A retried fetch posts again: same row (API-66).
        let state2 = try api.send("POST", "/api/v2/item_state/", json: ["work_item_id": id, "action": "Ingest",
                                                                         "state": #"{"attempt":2}"#])
        #expect(state2.status == 200)
        let stateID = try state2.jsonObject()["id"] as? Int ?? 0
        #expect(try state1.jsonObject()["id"] as? Int == stateID)
        item["stage"] = "Validate"
        item = try put(api, id, item)
        #expect(try api.send("PUT", "/api/v2/item_state/\(stateID)/", json: ["work_item_id": id, "action": "Ingest",
                                                                            "state": #"{"validated":true}"#]).status == 200)
        item["stage"] = "Store"
        item["status"] = "Pending"
        item["node"] = ""
        item["pid"] = 0
        item = try put(api, id, item)
        #expect(isNull(item["node"]))

        // Step 4, store: the item, then its state by work_item_state_id.
        item = try api.show(id)
        #expect(item["work_item_state_id"] as? Int == stateID)
        let state = try api.send("GET", "/api/v2/item_state/\(stateID)/")
        #expect(state.status == 200)
        #expect(try state.jsonObject()["state"] as? String == #"{"validated":true}"#)
        item["stage"] = "Record"
        item = try put(api, id, item)

        // Step 5, record: the object is created (by the object routes; directly here).
        let (objectID, _) = try insertObjectAndFile(api, bag: "bag1")
        item["stage"] = "Cleanup"
        item["status"] = "Started"
        item = try put(api, id, item)
        #expect(isNull(item["object_identifier"]))

        // Step 6, cleanup: Cleanup/Success; the Go worker echoes the NULL object_identifier as "".
        item["status"] = "Success"
        item["note"] = "Item was successfully ingested"
        item["outcome"] = "Item was successfully ingested"
        item = try put(api, id, item)
        #expect(item["object_identifier"] as? String == "test.edu/bag1")
        #expect(item["intellectual_object_id"] as? Int == objectID)
        #expect(item["queued_at"] as? String == "2024-05-01T14:00:00.123456Z")
        // DOM-78: the item is now the object's last ingested version.
        #expect(try api.send("GET", "/api/v2/items/?object_identifier=test.edu%2Fbag1&item_action=Ingest&status=Success&stage=Cleanup")
                    .jsonObject()["count"] as? Int == 1)
        // One audit row per mutating request: 1 create + 7 updates + 3 state writes.
        #expect(try api.scalar("SELECT count(*) FROM audit_log WHERE resource_type = 'work_item'") == "8")
        #expect(try api.scalar("SELECT count(*) FROM audit_log WHERE resource_type = 'work_item_state'") == "3")
        let last = try api.scalar("""
            SELECT details->'changes'->'object_identifier' FROM audit_log WHERE action = 'work_item.update' ORDER BY id DESC LIMIT 1
            """)
        #expect(last == #"[null, "test.edu/bag1"]"#)
    }

    private func put(_ api: WorkItemFixture, _ id: Int, _ item: [String: Any]) throws -> [String: Any] {
        // The workers send the whole record wrapped, with a trailing slash, expecting exactly 200.
        let response = try api.send("PUT", "/api/v2/items/\(id)/", json: ["work_item": item])
        guard response.status == 200 else { throw FixtureError("PUT answered \(response.status): \(response.text)") }
        return try response.jsonObject()
    }

    private func ids(_ api: WorkItemFixture, _ path: String) throws -> [Int] {
        let results = (try api.send("GET", path).jsonObject()["results"] as? [[String: Any]]) ?? []
        return results.compactMap { $0["id"] as? Int }
    }
}
