import Foundation
import Testing
import TestSupport

/// domain.md §8.2: an ingest exactly as the workers record it, across items, objects, events, files and
/// checksums — then a re-ingest of the same bag with one changed and one new file (DOM-103).
@Suite("End to end: the ingest sequence of the workers")
struct IngestSequenceTests {
    static let agent = "https://github.com/APTrust/exchange"

    @Test("§8.2 steps 1–6, then a re-ingest; every call answers what the workers require")
    func ingestAndReingest() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let system = try registry.makeUser("system@aptrust.org", role: "admin", institution: "test.edu")
        let worker = try WorkerClient(registry, system)
        let institutionID = try #require(Int(try registry.sql().scalar("SELECT id FROM institutions") ?? ""))
        let bag = "my bag & co"
        let objectIdentifier = "test.edu/\(bag)"
        let escapedObject = WorkerClient.escape(objectIdentifier)

        // 1. Bucket reader.
        let etag = "etag-1"
        #expect(try worker.call("GET", "/api/v2/items/?item_action=Ingest&name=\(WorkerClient.escape(bag + ".tar"))&etag=\(etag)&per_page=1").results.isEmpty)
        let created = try worker.call("POST", "/api/v2/items/", [
            "name": bag + ".tar", "etag": etag, "bag_date": "2024-05-01T10:00:00Z", "bucket": "aptrust.receiving.test.edu",
            "institution_id": institutionID, "note": "Item is pending ingest", "action": "Ingest", "stage": "Receive",
            "status": "Pending", "outcome": "Not started", "retry": true, "user": "system@aptrust.org",
        ])
        #expect(created.status == 201)
        let itemID = try #require(created.int("id"))
        var item = created.json
        item["queued_at"] = "2024-05-01T10:00:01.123456789Z"
        #expect(try worker.call("PUT", "/api/v2/items/\(itemID)/", item).status == 200)

        // 2. Queue poller (unqueued items only: ours is queued now).
        let poll = try worker.call("GET", "/api/v2/items/?queued=false&status=Pending&retry=true&node_empty=true&per_page=100")
        #expect(poll.status == 200 && poll.results.isEmpty)

        // 3. Fetch / validate with a state row.
        item = try worker.call("GET", "/api/v2/items/\(itemID)/").json
        item["stage"] = "Fetch"; item["status"] = "Started"; item["node"] = "worker-1"; item["pid"] = 4242
        item["stage_started_at"] = "2024-05-01T10:01:00Z"
        #expect(try worker.call("PUT", "/api/v2/items/\(itemID)/", item).status == 200)
        let state = try worker.call("POST", "/api/v2/item_state/", ["work_item_id": itemID, "action": "Ingest", "state": "{\"fetched\":true}"])
        #expect(state.status == 201)
        #expect(try worker.call("POST", "/api/v2/item_state/", ["work_item_id": itemID, "action": "Ingest", "state": "{\"validated\":true}"]).status == 200)
        item["stage"] = "Store"; item["status"] = "Pending"
        #expect(try worker.call("PUT", "/api/v2/items/\(itemID)/", item).status == 200)

        // 4. Store: the object and its files are new.
        let stored = try worker.call("GET", "/api/v2/items/\(itemID)/")
        let stateID = try #require(stored.int("work_item_state_id"))
        #expect(try worker.call("GET", "/api/v2/item_state/\(stateID)/").json["state"] as? String == "{\"validated\":true}")
        #expect(try worker.call("GET", "/api/v2/objects/\(escapedObject)").status == 404)
        let paths = ["data/a b.txt", "data/x+y.txt", "data/ü?#.bin", "bagit.txt"]
        for path in paths {
            let file = WorkerClient.escape("\(objectIdentifier)/\(path)")
            let checksums = try worker.call("GET", "/api/v2/checksums/?algorithm=sha256&generic_file_identifier=\(file)&sort=datetime+DESC")
            #expect(checksums.status == 200 && checksums.int("count") == 0)
        }
        item["stage"] = "Record"; item["status"] = "Pending"
        #expect(try worker.call("PUT", "/api/v2/items/\(itemID)/", item).status == 200)

        // 5. Record: object, 4 object events, the files in one batch.
        let object = try worker.call("POST", "/api/v2/objects/test.edu", ["intellectual_object": [
            "identifier": objectIdentifier, "title": "My bag", "access": "consortia", "storage_option": "Standard",
            "etag": etag, "institution_id": institutionID, "id": 0, "file_count": 0,
        ]])
        #expect(object.status == 201)
        let objectID = try #require(object.int("id"))
        var sequences: [Int] = []
        for type in ["creation", "identifier assignment", "access assignment", "ingestion"] {
            let event = try worker.call("POST", "/api/v2/events/", Self.event(type, object: objectIdentifier, file: nil))
            #expect(event.status == 201)
            sequences.append(event.int("sequence") ?? -1)
        }
        #expect(sequences == [1, 2, 3, 4])
        let batch = try worker.call("POST", "/api/v2/files/\(objectID)/create_batch",
                                    paths.map { Self.file("\(objectIdentifier)/\($0)", object: objectIdentifier) })
        #expect(batch.status == 201)
        #expect(batch.int("count") == paths.count)
        let shown = try worker.call("GET", "/api/v2/objects/\(escapedObject)")
        #expect(shown.int("file_count") == paths.count)

        // 6. Cleanup: DOM-75 derives object_identifier.
        item = try worker.call("GET", "/api/v2/items/\(itemID)/").json
        item["stage"] = "Cleanup"; item["status"] = "Success"; item["note"] = "Item was successfully ingested"
        let done = try worker.call("PUT", "/api/v2/items/\(itemID)/", item)
        #expect(done.status == 200)
        #expect(done.json["object_identifier"] as? String == objectIdentifier)

        // DOM-103: a retried record step replays everything.
        let replay = try worker.call("POST", "/api/v2/files/\(objectID)/create_batch",
                                     paths.map { Self.file("\(objectIdentifier)/\($0)", object: objectIdentifier, reuse: batch) })
        #expect(replay.status == 201)

        // Re-ingest: object PUT (state A), a known file gets a new checksum and event, a new file is batched.
        var objectBody = shown.json
        objectBody["state"] = "A"
        #expect(try worker.call("PUT", "/api/v2/objects/\(escapedObject)", objectBody).status == 200)
        let changed = WorkerClient.escape("\(objectIdentifier)/data/a b.txt")
        let update = try worker.call("PUT", "/api/v2/files/\(changed)", ["generic_file": [
            "size": 2048, "checksums": [["algorithm": "sha256", "datetime": "2024-06-01T00:00:00Z", "digest": String(repeating: "c", count: 64)]],
            "premis_events": [Self.event("fixity check", object: objectIdentifier, file: "\(objectIdentifier)/data/a b.txt")],
        ]])
        #expect(update.status == 200)
        #expect((update.json["checksums"] as? [Any])?.count == 3)
        let more = try worker.call("POST", "/api/v2/files/\(objectID)/create_batch",
                                   [Self.file("\(objectIdentifier)/data/new.txt", object: objectIdentifier)])
        #expect(more.status == 201)
        #expect(try worker.call("GET", "/api/v2/objects/\(escapedObject)").int("file_count") == paths.count + 1)
        #expect(try registry.cli(["audit", "verify"]).status == 0)
    }

    static func event(_ type: String, object: String, file: String?) -> [String: Any] {
        var event: [String: Any] = [
            "identifier": UUID().uuidString, "event_type": type, "date_time": "2024-05-01T10:05:00.123456789Z",
            "detail": "\(type) detail", "outcome": "Success", "outcome_detail": "ok", "object": "APTrust exchange",
            "agent": agent, "intellectual_object_identifier": object,
        ]
        if let file { event["generic_file_identifier"] = file; event["generic_file_id"] = 0 }
        return event
    }

    /// A create_batch element as the record worker sends it; with `reuse`, the same event ids as before.
    static func file(_ identifier: String, object: String, reuse: WorkerClient.Reply? = nil) -> [String: Any] {
        let earlier = reuse?.results.first { $0["identifier"] as? String == identifier }
        let earlierEvents = earlier?["premis_events"] as? [[String: Any]] ?? []
        let types = ["fixity check", "message digest calculation", "identifier assignment", "identifier assignment",
                     "replication", "ingestion"]
        let events = types.enumerated().map { index, type -> [String: Any] in
            var event = Self.event(type, object: object, file: identifier)
            if index < earlierEvents.count { event = earlierEvents[index].filter { !["id", "sequence", "entry_hash", "chain_hash", "created_at", "updated_at", "institution", "institution_id"].contains($0.key) } }
            return event
        }
        return [
            "identifier": identifier, "uri": "https://s3.amazonaws.com/preservation/\(identifier.hashValue)", "size": 1024,
            "file_format": "text/plain", "intellectual_object_id": 0,
            "checksums_attributes": [
                ["algorithm": "md5", "datetime": "2024-05-01T10:04:00Z", "digest": String(repeating: "a", count: 32)],
                ["algorithm": "sha256", "datetime": "2024-05-01T10:04:00Z", "digest": String(repeating: "b", count: 64)],
            ],
            "premis_events_attributes": events,
        ]
    }
}
