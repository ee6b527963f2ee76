import Foundation
import Synchronization
import Testing
import TestSupport

/// `/api/v2/item_state` (routes #36–#38, api-v2.md API-66; domain.md §4.9, DOM-67).
@Suite("Work item states")
struct WorkItemStateTests {
    @Test("W6: POST twice for one item → 201 then 200, same id; the item shows it as work_item_state_id")
    func w6Upsert() throws {
        let api = try WorkItemFixture.start()
        let itemID = try api.create(api.ingestItem())["id"] as? Int ?? 0
        let first = try api.send("POST", "/api/v2/item_state/", json: ["work_item_id": itemID, "action": "Ingest",
                                                                        "state": #"{"attempt":1}"#])
        #expect(first.status == 201)
        let created = try first.jsonObject()
        let stateID = created["id"] as? Int ?? 0
        #expect(stateID > 0)
        #expect(created["state"] as? String == #"{"attempt":1}"#)
        #expect(keysInOrder(first.text) == ["id", "work_item_id", "action", "state", "created_at", "updated_at"])
        // The fetch worker's retry: wrapped this time, no action (kept), new text.
        let second = try api.send("POST", "/api/v2/item_state", json: ["work_item_state": ["work_item_id": itemID,
                                                                                           "state": #"{"attempt":2}"#]])
        #expect(second.status == 200)
        let updated = try second.jsonObject()
        #expect(updated["id"] as? Int == stateID)
        #expect(updated["state"] as? String == #"{"attempt":2}"#)
        #expect(updated["action"] as? String == "Ingest")
        #expect(updated["created_at"] as? String == created["created_at"] as? String)
        #expect(try api.show(itemID)["work_item_state_id"] as? Int == stateID)
        let list = try api.send("GET", "/api/v2/items/?name=bag1.tar").jsonObject()
        #expect(((list["results"] as? [[String: Any]])?.first?["work_item_state_id"] as? Int) == stateID)
        #expect(try api.scalar("SELECT count(*) FROM work_item_states") == "1")
        // Stored compressed (RFC 1950: first byte 0x78 for deflate with a 32 KiB window).
        #expect(try api.scalar("SELECT get_byte(state, 0) FROM work_item_states") == "120")
        let actions = try api.registry.sql().query("SELECT action, status, details::text FROM audit_log WHERE resource_type = 'work_item_state' ORDER BY id")
        #expect(actions.map { $0[0] ?? "" } == ["work_item_state.create", "work_item_state.update"])
        #expect(actions.map { $0[1] ?? "" } == ["201", "200"])
        #expect(!actions.contains { ($0[2] ?? "").contains("attempt") })
    }

    @Test("W7: GET item_state/0 → 404 JSON; unknown id → 404; a state of the action copied from the item")
    func w7AndShow() throws {
        let api = try WorkItemFixture.start()
        let zero = try api.send("GET", "/api/v2/item_state/0/")
        #expect(zero.status == 404)
        #expect(zero.text == #"{"status":"error","message":"work item state not found: 0"}"#)
        #expect(try api.send("GET", "/api/v2/item_state/424242").status == 404)
        #expect(try api.send("GET", "/api/v2/item_state/x").status == 404)
        let itemID = try api.create(api.ingestItem("r.tar", ["action": "Restore"]))["id"] as? Int ?? 0
        let created = try api.send("POST", "/api/v2/item_state", json: ["work_item_id": itemID, "state": "plain text\n"]).jsonObject()
        #expect(created["action"] as? String == "Restore")
        let shown = try api.send("GET", "/api/v2/item_state/\(created["id"] as? Int ?? 0)/")
        #expect(shown.status == 200)
        #expect(try shown.jsonObject()["state"] as? String == "plain text\n")
        #expect(shown.body == (try api.send("GET", "/api/v2/item_state/\(created["id"] as? Int ?? 0)").body))
    }

    @Test("DOM-67: a 20 MiB pretty-printed JSON state and a non-JSON text round-trip byte for byte")
    func largeRoundTrip() throws {
        // A debug build on a shared 2-core machine needs several seconds for 25 MiB of JSON.
        let api = try WorkItemFixture.start().reconnected(receiveTimeout: 120)
        let itemID = try api.create(api.ingestItem())["id"] as? Int ?? 0
        var document = "{\n  \"files\": [\n"
        var index = 0
        while document.utf8.count < 20 * 1024 * 1024 {
            document += "    {\n      \"path\": \"data/dir \(index)/file-\(index).txt\",\n      \"md5\": \"\(String(index, radix: 16))\",\n"
            document += "      \"note\": \"ünïcödé \\\"quoted\\\" \\\\ tab\\t 😀\"\n    },\n"
            index += 1
        }
        document += "    {}\n  ]\n}\n"
        let body = try JSONSerialization.data(withJSONObject: ["work_item_id": itemID, "state": document])
        let posted = try api.send("POST", "/api/v2/item_state/", body: Array(body))
        #expect(posted.status == 201)
        let stateID = try posted.jsonObject()["id"] as? Int ?? 0
        let shown = try api.send("GET", "/api/v2/item_state/\(stateID)")
        #expect(shown.status == 200)
        let text = try shown.jsonObject()["state"] as? String ?? ""
        #expect(text.utf8.count == document.utf8.count)
        #expect(Array(text.utf8) == Array(document.utf8))
        let storedBytes = Int(try api.scalar("SELECT octet_length(state) FROM work_item_states") ?? "0") ?? 0
        #expect(storedBytes > 0 && storedBytes < document.utf8.count / 4)
        // Non-JSON text with every JSON-escaped character class, via PUT.
        let odd = "line1\r\nline2\u{1}\u{1F}\"\\/ \u{2028} 🎉 not { json"
        let put = try api.send("PUT", "/api/v2/item_state/\(stateID)", json: ["state": odd, "action": "Ingest"])
        #expect(put.status == 200)
        #expect(try put.jsonObject()["state"] as? String == odd)
        #expect(try api.send("GET", "/api/v2/item_state/\(stateID)").jsonObject()["state"] as? String == odd)
        // OPS-42: the state text is never logged.
        #expect(!api.registry.log().contains("ünïcödé"))
        #expect(!api.registry.log().contains("not { json"))
    }

    @Test("Route #37: PATCH changes action only and keeps the text; work_item_id only unchanged")
    func partialUpdate() throws {
        let api = try WorkItemFixture.start()
        let itemID = try api.create(api.ingestItem())["id"] as? Int ?? 0
        let stateID = try api.send("POST", "/api/v2/item_state", json: ["work_item_id": itemID, "state": "keep me"])
            .jsonObject()["id"] as? Int ?? 0
        let patched = try api.send("PATCH", "/api/v2/item_state/\(stateID)/", json: ["work_item_state": ["action": "Delete"]])
        #expect(patched.status == 200)
        let state = try patched.jsonObject()
        #expect(state["action"] as? String == "Delete")
        #expect(state["state"] as? String == "keep me")
        let moved = try api.send("PUT", "/api/v2/item_state/\(stateID)", json: ["work_item_id": itemID + 1000, "state": NSNull(),
                                                                               "action": "Bogus"])
        #expect(moved.status == 422)
        #expect(fieldError(moved, "work_item_id") == "cannot be changed")
        #expect(fieldError(moved, "state") == "can't be blank")
        #expect(fieldError(moved, "action") == "is not included in the list")
        #expect(try api.send("PUT", "/api/v2/item_state/999999", json: ["state": "x"]).status == 404)
    }

    @Test("API-66 validation: work_item_id required and existing, state required and a string")
    func validation() throws {
        let api = try WorkItemFixture.start()
        let missing = try api.send("POST", "/api/v2/item_state/", json: ["work_item_id": 0, "state": 5, "action": "ingest"])
        #expect(missing.status == 422)
        #expect(fieldError(missing, "work_item_id") == "can't be blank")
        #expect(fieldError(missing, "state") == "must be a string")
        #expect(fieldError(missing, "action") == "is not included in the list")
        let unknown = try api.send("POST", "/api/v2/item_state/", json: ["work_item_id": 999_999, "state": "x"])
        #expect(fieldError(unknown, "work_item_id") == "is invalid")
        let absent = try api.send("POST", "/api/v2/item_state/", json: ["work_item_id": 1])
        #expect(fieldError(absent, "state") == "can't be blank")
        #expect(try api.send("POST", "/api/v2/item_state/").status == 400)
        #expect(try api.scalar("SELECT count(*) FROM work_item_states") == "0")
    }

    @Test("DOM-96a: admin only — an inst admin gets 403 for an own item's state, 404 for another institution's")
    func permissions() throws {
        let api = try WorkItemFixture.start()
        let own = try api.create(api.ingestItem())["id"] as? Int ?? 0
        let foreign = try api.create(api.ingestItem("o.tar", ["institution_id": api.otherEduID]))["id"] as? Int ?? 0
        let ownState = try api.send("POST", "/api/v2/item_state", json: ["work_item_id": own, "state": "a"]).jsonObject()["id"] as? Int ?? 0
        let foreignState = try api.send("POST", "/api/v2/item_state", json: ["work_item_id": foreign, "state": "b"])
            .jsonObject()["id"] as? Int ?? 0
        #expect(try api.send("GET", "/api/v2/item_state/\(ownState)", as: api.instAdmin).status == 403)
        #expect(try api.send("GET", "/api/v2/item_state/\(ownState)", as: api.instUser).status == 403)
        let hidden = try api.send("GET", "/api/v2/item_state/\(foreignState)", as: api.instAdmin)
        #expect(hidden.status == 404)
        #expect(try hidden.jsonObject()["message"] as? String == "work item state not found: \(foreignState)")
        #expect(try api.send("PUT", "/api/v2/item_state/\(ownState)", as: api.instAdmin, json: ["state": "x"]).status == 403)
        #expect(try api.send("POST", "/api/v2/item_state", as: api.instAdmin, json: ["work_item_id": own, "state": "x"]).status == 403)
        #expect(try api.send("GET", "/member-api/v2/item_state/\(ownState)", as: api.instAdmin).status == 404)
        #expect(try api.send("GET", "/api/v2/item_state/\(ownState)").jsonObject()["state"] as? String == "a")
    }

    @Test("API-65/66: two concurrent first POSTs for one item → one row, one 201 and one 200, never a 500")
    func concurrentFirstPosts() throws {
        let api = try WorkItemFixture.start()
        // Each iteration below uses only its own client, so sharing the array is race-free.
        nonisolated(unsafe) let clients = [try api.reconnected(), try api.reconnected()]
        for round in 0..<10 {
            let itemID = try api.create(api.ingestItem("c\(round).tar"))["id"] as? Int ?? 0
            let statuses = Mutex<[Int]>([])
            let ids = Mutex<Set<Int>>([])
            DispatchQueue.concurrentPerform(iterations: 2) { index in
                let response = try? clients[index].send("POST", "/api/v2/item_state/",
                                                        json: ["work_item_id": itemID, "state": "attempt \(index)"])
                statuses.withLock { $0.append(response?.status ?? -1) }
                if let id = (try? response?.jsonObject())?["id"] as? Int { _ = ids.withLock { $0.insert(id) } }
            }
            #expect(statuses.withLock { $0.sorted() } == [200, 201], "round \(round)")
            #expect(ids.withLock { $0.count } == 1, "round \(round)")
        }
        #expect(try api.scalar("SELECT count(*) FROM work_item_states") == "10")
    }

    @Test("OPS-51: the state route takes bodies up to MAX_STATE_BODY_BYTES, other routes only MAX_BODY_BYTES")
    func bodyLimits() throws {
        let api = try WorkItemFixture.start(environment: ["MAX_BODY_BYTES": "4096", "MAX_STATE_BODY_BYTES": "65536"])
        let itemID = try api.create(api.ingestItem())["id"] as? Int ?? 0
        let big = String(repeating: "s", count: 20_000)
        #expect(try api.send("POST", "/api/v2/item_state", json: ["work_item_id": itemID, "state": big]).status == 201)
        #expect(try api.reconnected().send("PUT", "/api/v2/items/\(itemID)", json: ["note": big]).status == 413)
        let huge = String(repeating: "s", count: 70_000)
        #expect(try api.reconnected().send("POST", "/api/v2/item_state", json: ["work_item_id": itemID, "state": huge]).status == 413)
    }
}
