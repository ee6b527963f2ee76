import Foundation
import Testing
import TestSupport

/// `POST /files/{id}/create_batch` (api-v2.md API-98, API-63; domain.md DOM-104, §8.2).
@Suite("files: create_batch")
struct CreateBatchTests {
    /// The ingest worker's record step: 100 files × (md5 + sha256) × 6 events.
    static func workerBatch(_ world: FileTestWorld, objectID: Int64, count: Int = 100) -> [[String: Any]] {
        (0..<count).map { index in
            WorkerBodies.file(String(format: "test.edu/bag/data/file-%03d.txt", index), size: Int64(index + 1),
                              objectID: objectID, objectIdentifier: "test.edu/bag", institutionID: world.institutionID)
        }
    }

    @Test("W13 + W14: 100 files × 2 checksums × 6 events, then the identical retry is a replay")
    func workerBatchAndReplay() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let batch = Self.workerBatch(world, objectID: objectID)
        let started = Date()
        let created = try world.request("POST", "/api/v2/files/\(objectID)/create_batch", json: batch)
        let elapsed = Date().timeIntervalSince(started)
        #expect(created.status == 201, "\(created.text.prefix(500)) \(world.registry.log().suffix(3000))")
        #expect(!created.headers.contains("Idempotent-Replayed"))
        let body = try created.jsonObject()
        #expect(body["count"] as? Int == 100)
        #expect(body["next"] is NSNull && body["previous"] is NSNull)
        let results = try created.results()
        #expect(results.count == 100)
        // Input order, nested ids, DOM-17 lower-cased digests, API-71 child order.
        for (index, file) in results.enumerated() {
            #expect(file["identifier"] as? String == String(format: "test.edu/bag/data/file-%03d.txt", index))
            #expect((file["id"] as? Int ?? 0) > 0)
            #expect(file["storage_option"] as? String == "Standard" && file["state"] as? String == "A")
            let checksums = file["checksums"] as? [[String: Any]] ?? []
            #expect(checksums.count == 2 && checksums.allSatisfy { ($0["id"] as? Int ?? 0) > 0 })
            #expect(checksums.contains { $0["digest"] as? String == String(repeating: "b", count: 64) })
            let events = file["premis_events"] as? [[String: Any]] ?? []
            #expect(events.count == 6 && events.allSatisfy { ($0["id"] as? Int ?? 0) > 0 })
            #expect(events.allSatisfy { $0["generic_file_id"] as? Int == file["id"] as? Int })
            // DOM-73/74: the nested fixity event moved last_fixity_check from the default to its date_time.
            #expect(file["last_fixity_check"] as? String == "2024-03-01T10:00:00.123456Z")
        }
        // DOM-70.
        #expect(try world.scalar("SELECT file_count || '/' || file_size FROM intellectual_objects") == "100/5050")
        // AUD-45: one continuous chain, files in array order, each file's events in array order.
        let sequences = try world.sql("""
            SELECT e.sequence, f.identifier, e.event_type FROM premis_events e JOIN generic_files f ON f.id = e.generic_file_id
            ORDER BY e.sequence
            """)
        #expect(sequences.count == 600)
        #expect(sequences.enumerated().allSatisfy { Int($0.element[0] ?? "") == $0.offset + 1 })
        #expect(sequences[6][1] == "test.edu/bag/data/file-001.txt" && sequences[10][2] == "replication")
        #expect(try world.scalar("SELECT sequence FROM event_chain_heads") == "600")
        // DOM-63 primaries and DOM-64 replicas.
        #expect(try world.scalar("SELECT count(*) FROM storage_records WHERE kind = 'primary'") == "100")
        #expect(try world.scalar("SELECT count(*) FROM storage_records WHERE kind = 'replica'") == "100")
        // DOM-82: exactly one audit row, with counts and identifiers.
        let audit = try world.sql("SELECT resource_type, resource_id, details->>'files_created', jsonb_array_length(details->'identifiers') FROM audit_log WHERE action = 'file.create_batch'")
        #expect(audit.count == 1 && audit[0] == ["intellectual_object", String(objectID), "100", "100"])
        print("create_batch of 100 files × 2 checksums × 6 events: \(Int(elapsed * 1000)) ms (debug build)")

        let before = try world.tableCounts()
        let replay = try world.request("POST", "/api/v2/files/\(objectID)/create_batch", json: batch)
        #expect(replay.status == 201)
        #expect(replay.headers["Idempotent-Replayed"] == "true")
        #expect(try replay.results().map { $0["id"] as? Int } == results.map { $0["id"] as? Int })
        var after = try world.tableCounts()
        #expect(after["audit_log"] == String(Int(before["audit_log"] ?? "0")! + 1))
        after["audit_log"] = before["audit_log"]
        #expect(after == before)
        #expect(try world.scalar("SELECT details->>'replayed' FROM audit_log ORDER BY id DESC LIMIT 1") == "true")
    }

    @Test("API-63/DOM-104: element 57 with a bad digest stores nothing and names files[57].checksums[0].digest")
    func failureStoresNothing() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        var batch = Self.workerBatch(world, objectID: objectID)
        var bad = batch[57]
        bad["checksums_attributes"] = [WorkerBodies.checksum("md5", "not-hex")]
        batch[57] = bad
        let before = try world.tableCounts()
        let response = try world.request("POST", "/api/v2/files/\(objectID)/create_batch", json: batch)
        #expect(response.status == 422)
        #expect(try response.fieldErrors("files[57].checksums[0].digest") == ["is invalid"])
        #expect(try world.tableCounts() == before)

        // A conflict found only inside the transaction (an existing event identifier with other
        // content, element 3) rolls back the 2 files, 4 checksums and 18 events stored before it.
        let first = Self.workerBatch(world, objectID: objectID, count: 1)
        #expect(try world.request("POST", "/api/v2/files/\(objectID)/create_batch", json: first).status == 201)
        let committed = try world.tableCounts()
        var second = Array(Self.workerBatch(world, objectID: objectID, count: 5)[1...])
        var events = second[2]["premis_events_attributes"] as! [[String: Any]]
        var reused = (first[0]["premis_events_attributes"] as! [[String: Any]])[0]
        reused["detail"] = "other content"
        reused["generic_file_identifier"] = second[2]["identifier"]
        events[4] = reused
        second[2]["premis_events_attributes"] = events
        let conflict = try world.request("POST", "/api/v2/files/\(objectID)/create_batch", json: second)
        #expect(conflict.status == 422)
        #expect(try conflict.fieldErrors("files[2].premis_events[4].identifier") == ["has already been taken"])
        #expect(try world.tableCounts() == committed)
    }

    @Test("API-98: validation of the array, the identifiers and the object; API-80 member path is a 404")
    func validation() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let path = "/api/v2/files/\(objectID)/create_batch"
        #expect(try world.request("POST", path, json: [] as [Any]).fieldErrors("files").count == 1)
        let notArray = try world.request("POST", path, json: ["identifier": "x"])
        #expect(notArray.status == 400)
        #expect((try notArray.jsonObject()["message"] as? String)?.hasPrefix("malformed JSON") == true)
        var wrong = WorkerBodies.file("test.edu/other/data/a.txt", size: 1, objectID: objectID,
                                      objectIdentifier: "test.edu/bag", institutionID: world.institutionID)
        wrong["intellectual_object_id"] = objectID + 1
        let mismatch = try world.request("POST", path, json: [wrong, "text"])
        #expect(mismatch.status == 422)
        #expect(try mismatch.fieldErrors("files[0].identifier") == ["must start with test.edu/bag/"])
        #expect(try mismatch.fieldErrors("files[0].intellectual_object_id") == ["does not match the object"])
        #expect(try mismatch.fieldErrors("files[1]") == ["must be an object"])
        // Duplicate identifiers in one request.
        let one = WorkerBodies.file("test.edu/bag/data/a.txt", size: 1, objectID: objectID,
                                    objectIdentifier: "test.edu/bag", institutionID: world.institutionID)
        #expect(try world.request("POST", path, json: [one, one]).fieldErrors("files[1].identifier")
                == ["appears more than once in this request"])
        // The object by identifier works too; unknown → 404; deleted → 409.
        let byIdentifier = try world.request("POST", "/api/v2/files/test.edu%2Fbag/create_batch", json: [one])
        #expect(byIdentifier.status == 201)
        let missing = try world.request("POST", "/api/v2/files/test.edu%2Fnone/create_batch", json: [one])
        #expect(missing.status == 404)
        #expect(try missing.jsonObject()["message"] as? String == "object not found: test.edu/none")
        let deletedID = try world.makeObject("test.edu/gone", state: "D")
        let gone = WorkerBodies.file("test.edu/gone/data/a.txt", size: 1, objectID: deletedID,
                                     objectIdentifier: "test.edu/gone", institutionID: world.institutionID)
        let conflict = try world.request("POST", "/api/v2/files/\(deletedID)/create_batch", json: [gone])
        #expect(conflict.status == 409)
        #expect(try conflict.jsonObject()["message"] as? String == "object is deleted")
        // 403 for a non-admin (after the 404 check), 404 on the member API (API-80).
        let instAdmin = try world.registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
        #expect(try world.request("POST", path, json: [one], as: instAdmin).status == 403)
        #expect(try world.request("POST", "/api/v2/files/999999/create_batch", json: [one], as: instAdmin).status == 404)
        #expect(try world.request("POST", "/member-api/v2/files/\(objectID)/create_batch", json: [one]).status == 404)
        // API-21: no body at all.
        #expect(try world.request("POST", path).status == 400)

        // Sizes whose sum no bigint holds: a 422 that stores nothing (the sum once trapped and
        // stopped the process); one more file on top of a full object likewise.
        let bigID = try world.makeObject("test.edu/big")
        let bigPath = "/api/v2/files/\(bigID)/create_batch"
        let huge = ["big-a", "big-b"].map {
            WorkerBodies.file("test.edu/big/data/\($0).bin", size: Int64.max, objectID: bigID,
                              objectIdentifier: "test.edu/big", institutionID: world.institutionID)
        }
        let overflowing = try world.request("POST", bigPath, json: huge)
        #expect(overflowing.status == 422)
        #expect(try overflowing.fieldErrors("size") == ["makes the object's file_size larger than \(Int64.max)"])
        #expect(try world.request("POST", bigPath, json: [huge[0]]).status == 201)
        let onTop = try world.request("POST", bigPath, json: [huge[1]])
        #expect(onTop.status == 422)
        #expect(try onTop.fieldErrors("size") == ["makes the object's file_size larger than \(Int64.max)"])
        #expect(try world.request("GET", "/api/v2/files/test.edu%2Fbig%2Fdata%2Fbig-b.bin").status == 404)
    }

    @Test("API-65: two identical concurrent batches give one set of rows and two 201s")
    func concurrentIdenticalBatches() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let batch = Self.workerBatch(world, objectID: objectID, count: 20)
        let body = FileTestWorld.encode(batch)
        let registry = world.registry
        let statuses = Mutex2<[Int]>([])
        let headers = world.admin.headers + [("Content-Type", "application/json")]
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            let client = try? registry.client(receiveTimeout: 60)
            let response = try? client?.request(method: "POST", path: "/api/v2/files/\(objectID)/create_batch",
                                                headers: headers, body: body)
            statuses.append((response?.status ?? 0) * 10 + (response?.headers["Idempotent-Replayed"] == "true" ? 1 : 0))
        }
        #expect(statuses.value.sorted() == [2010, 2011])
        #expect(try world.scalar("SELECT count(*) FROM generic_files") == "20")
        #expect(try world.scalar("SELECT count(*) FROM premis_events") == "120")
        #expect(try world.scalar("SELECT file_count FROM intellectual_objects") == "20")
    }
}

/// A tiny lock-protected box for results gathered from concurrent requests.
final class Mutex2<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func append<Element>(_ element: Element) where Value == [Element] { lock.withLock { stored.append(element) } }
}
