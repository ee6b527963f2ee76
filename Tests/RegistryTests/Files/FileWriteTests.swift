import Foundation
import Testing
import TestSupport

/// `POST /files`, `POST /files/{obj}` (API-97) and `PUT`/`PATCH /files/{file}` (API-99).
@Suite("files: create one and update")
struct FileWriteTests {
    @Test("API-97/API-60: create from the body's object, replay, conflict, DOM-71 and API-27 checks")
    func createAndReplay() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        var body = WorkerBodies.file("test.edu/bag/data/a.txt", size: 7, objectID: 0, objectIdentifier: "test.edu/bag",
                                     institutionID: world.institutionID)
        body["intellectual_object_id"] = nil
        let created = try world.request("POST", "/api/v2/files", json: ["generic_file": body])
        #expect(created.status == 201, "\(created.text)")
        #expect(!created.headers.contains("Idempotent-Replayed"))
        let file = try created.jsonObject()
        #expect(file["intellectual_object_id"] as? Int == Int(objectID))
        #expect((file["checksums"] as? [Any])?.count == 2 && (file["premis_events"] as? [Any])?.count == 6)
        #expect(try world.scalar("SELECT details::text FROM audit_log WHERE action = 'file.create'")
                == #"{"checksums_created": 2, "premis_events_created": 6}"#)

        let replay = try world.request("POST", "/api/v2/files/test.edu%2Fbag", json: body)
        #expect(replay.status == 201 && replay.headers["Idempotent-Replayed"] == "true")
        #expect(try replay.jsonObject()["id"] as? Int == file["id"] as? Int)
        #expect(try world.scalar("SELECT details::text FROM audit_log WHERE action = 'file.create' ORDER BY id DESC LIMIT 1")
                == #"{"replayed": true}"#)
        // API-64: a replayed file with one new checksum stores the checksum, and is no replay.
        var more = body
        more["checksums_attributes"] = (body["checksums_attributes"] as! [Any]) + [WorkerBodies.checksum("sha1", String(repeating: "c", count: 40))]
        let appended = try world.request("POST", "/api/v2/files/\(objectID)", json: more)
        #expect(appended.status == 201 && !appended.headers.contains("Idempotent-Replayed"))
        #expect((try appended.jsonObject()["checksums"] as? [Any])?.count == 3)

        var changed = body
        changed["size"] = 8
        let conflict = try world.request("POST", "/api/v2/files/test.edu%2Fbag", json: changed)
        #expect(conflict.status == 422)
        #expect(try conflict.fieldErrors("identifier") == ["has already been taken"])
        var otherDigest = body
        otherDigest["checksums_attributes"] = [WorkerBodies.checksum("md5", String(repeating: "f", count: 32))]
        #expect(try world.request("POST", "/api/v2/files/test.edu%2Fbag", json: otherDigest)
            .fieldErrors("checksums[0].datetime") == ["has already been taken"])

        // Every field error at once (API-52), nested keys by position (API-50).
        var bad = WorkerBodies.file("test.edu/bag/data/b.txt", size: -1, objectID: objectID + 5,
                                    objectIdentifier: "test.edu/bag", institutionID: world.institutionID + 5)
        bad["uri"] = "no-scheme"
        bad["file_format"] = 3
        var events = bad["premis_events_attributes"] as! [[String: Any]]
        events[1]["event_type"] = "Fixity Check"
        events[2]["identifier"] = "not-a-uuid"
        // DOM-15, the same rule as `POST /events`: a long non-UUID is not a UUID (no 64-byte cap).
        events[3]["identifier"] = String(repeating: "a", count: 100)
        bad["premis_events_attributes"] = events
        bad["checksums_attributes"] = [["algorithm": "sha256", "digest": "ab", "datetime": "yesterday"], "x"]
        let invalid = try world.request("POST", "/api/v2/files/test.edu%2Fbag", json: bad)
        #expect(invalid.status == 422)
        #expect(try invalid.fieldErrors("size") == ["must be greater than or equal to 0"])
        #expect(try invalid.fieldErrors("uri") == ["is invalid"])
        #expect(try invalid.fieldErrors("file_format") == ["must be a string"])
        #expect(try invalid.fieldErrors("intellectual_object_id") == ["does not match the object"])
        #expect(try invalid.fieldErrors("institution_id") == ["does not match the object's institution"])
        #expect(try invalid.fieldErrors("premis_events[1].event_type") == ["is not included in the list"])
        #expect(try invalid.fieldErrors("premis_events[2].identifier") == ["is invalid"])
        #expect(try invalid.fieldErrors("premis_events[3].identifier") == ["is invalid"])
        #expect(try invalid.fieldErrors("checksums[0].digest") == ["must be 64 hexadecimal characters for sha256"])
        #expect(try invalid.fieldErrors("checksums[0].datetime") == ["is invalid"])
        #expect(try invalid.fieldErrors("checksums[1]") == ["must be an object"])
        var both = WorkerBodies.file("test.edu/bag/data/c.txt", size: 1, objectID: objectID, objectIdentifier: "test.edu/bag",
                                     institutionID: world.institutionID)
        both["checksums"] = both["checksums_attributes"]
        #expect(try world.request("POST", "/api/v2/files/test.edu%2Fbag", json: both).fieldErrors("checksums")
                == ["cannot be sent together with checksums_attributes"])
        var phantom = WorkerBodies.file("test.edu/bag/data/d.txt", size: 1, objectID: objectID, objectIdentifier: "test.edu/bag",
                                        institutionID: world.institutionID)
        phantom["checksums_attributes"] = [["id": 99, "algorithm": "md5", "digest": String(repeating: "a", count: 32),
                                            "datetime": "2024-01-01T00:00:00Z"]]
        #expect(try world.request("POST", "/api/v2/files/test.edu%2Fbag", json: phantom).fieldErrors("checksums[0].id")
                == ["is not a checksum of this file"])
        // The object: named in neither place, unknown, deleted (409 after validation).
        #expect(try world.request("POST", "/api/v2/files", json: ["identifier": "test.edu/bag/x"])
            .fieldErrors("intellectual_object_id") == ["can't be blank"])
        #expect(try world.request("POST", "/api/v2/files", json: ["intellectual_object_identifier": "test.edu/none"])
            .fieldErrors("intellectual_object_identifier") == ["must name an existing object"])
        // DOM-6: a NUL makes the identifier invalid (it was looked up and PostgreSQL refused it: a 500).
        for identifier in ["\u{0}", "test.edu/bag\u{0}"] {
            let nul = try world.request("POST", "/api/v2/files",
                                        json: ["identifier": "test.edu/bag/x", "intellectual_object_identifier": identifier])
            #expect(nul.status == 422)
            #expect(try nul.fieldErrors("intellectual_object_identifier") == ["is invalid"])
        }
        // API-24/DOM-4: a Go client's zero id and empty identifier name nothing.
        #expect(try world.request("POST", "/api/v2/files",
                                  json: ["identifier": "test.edu/bag/x", "intellectual_object_id": 0, "intellectual_object_identifier": ""])
            .fieldErrors("intellectual_object_id") == ["can't be blank"])
        #expect(try world.request("POST", "/api/v2/files/test.edu%2Fnone", json: body).status == 404)
        let goneID = try world.makeObject("test.edu/gone", state: "D")
        let gone = WorkerBodies.file("test.edu/gone/a", size: 1, objectID: goneID, objectIdentifier: "test.edu/gone",
                                     institutionID: world.institutionID)
        #expect(try world.request("POST", "/api/v2/files/test.edu%2Fgone", json: gone).status == 409)
        // API-20/21/22.
        #expect(try world.request("POST", "/api/v2/files/test.edu%2Fbag").status == 400)
        let text = try world.registry.client().request(method: "POST", path: "/api/v2/files/test.edu%2Fbag",
                                                       headers: world.admin.headers + [("Content-Type", "text/plain")], body: "{}")
        #expect(text.status == 415)
        #expect(try world.scalar("SELECT count(*) FROM generic_files") == "1")
    }

    @Test("W17/API-99/API-64: PUT appends a new event and checksum, removes none; DOM-70/72/73 and audit changes")
    func updateAppendsChildren() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let created = try FileShowTests.createFile(world, "test.edu/bag/data/a.txt", objectID: objectID,
                                                   object: "test.edu/bag", size: 100)
        let id = created["id"] as? Int ?? 0
        var record = created
        record["checksums"] = nil
        record["premis_events"] = nil
        record["size"] = 150
        record["storage_option"] = "Glacier-VA"  // DOM-72: ignored
        record["checksums_attributes"] = [WorkerBodies.checksum("sha256", String(repeating: "d", count: 64),
                                                                datetime: "2025-01-01T00:00:00Z")]
        record["premis_events_attributes"] = [WorkerBodies.event(
            "fixity check", fileIdentifier: "test.edu/bag/data/a.txt", objectID: objectID, objectIdentifier: "test.edu/bag",
            institutionID: world.institutionID, dateTime: "2025-02-03T04:05:06.789Z")]
        let updated = try world.request("PUT", "/api/v2/files/test.edu%2Fbag%2Fdata%2Fa.txt", json: ["generic_file": record])
        #expect(updated.status == 200, "\(updated.text)")
        let file = try updated.jsonObject()
        #expect((file["checksums"] as? [Any])?.count == 3)
        #expect((file["premis_events"] as? [Any])?.count == 7)
        #expect(file["size"] as? Int == 150 && file["storage_option"] as? String == "Standard")
        #expect(file["last_fixity_check"] as? String == "2025-02-03T04:05:06.789000Z")
        #expect(try world.scalar("SELECT file_count || '/' || file_size FROM intellectual_objects") == "1/150")
        #expect(try world.scalar("""
            SELECT details::text FROM audit_log WHERE action = 'file.update'
            """) == #"{"changes": {"size": [100, 150]}, "checksums_created": 1, "premis_events_created": 1}"#)
        // PATCH: an older fixity event does not move last_fixity_check back ([Fix] DOM-73); same
        // body again is a no-op for the children (API-64 replays).
        let older = ["premis_events": [WorkerBodies.event(
            "fixity check", fileIdentifier: nil, objectID: objectID, objectIdentifier: "test.edu/bag",
            institutionID: world.institutionID, dateTime: "2024-12-01T00:00:00Z")]]
        let patched = try world.request("PATCH", "/api/v2/files/\(id)/", json: older)
        #expect(patched.status == 200)
        #expect(try patched.jsonObject()["last_fixity_check"] as? String == "2025-02-03T04:05:06.789000Z")
        // The stale `last_fixity_check` echoed in `record` does not move it back either.
        let again = try world.request("PUT", "/api/v2/files/\(id)", json: ["generic_file": record])
        #expect(again.status == 200)
        #expect(try again.jsonObject()["last_fixity_check"] as? String == "2025-02-03T04:05:06.789000Z")
        let newer = try world.request("PATCH", "/api/v2/files/\(id)", json: ["last_fixity_check": "2026-01-01T00:00:00Z"])
        #expect(try newer.jsonObject()["last_fixity_check"] as? String == "2026-01-01T00:00:00.000000Z")
        #expect(try world.scalar("SELECT count(*) FROM checksums") == "3")
        #expect(try world.scalar("SELECT count(*) FROM premis_events") == "8")
        // Refusals: identifier / object changes, state D, a blank required field; a deleted object.
        let refused = try world.request("PUT", "/api/v2/files/\(id)", json: [
            "identifier": "test.edu/bag/data/b.txt", "intellectual_object_id": objectID + 1, "state": "D", "uri": NSNull(),
        ])
        #expect(refused.status == 422)
        #expect(try refused.fieldErrors("identifier") == ["cannot be changed"])
        #expect(try refused.fieldErrors("intellectual_object_id") == ["cannot be changed"])
        #expect(try refused.fieldErrors("state") == ["use the deletion workflow"])
        #expect(try refused.fieldErrors("uri") == ["can't be blank"])
        #expect(try world.request("PUT", "/api/v2/files/\(id)", json: ["state": ""]).fieldErrors("state") == ["can't be blank"])
        #expect(try world.request("PUT", "/api/v2/files/\(id)").status == 400)
        _ = try world.sql("UPDATE intellectual_objects SET state = 'D'")
        #expect(try world.request("PUT", "/api/v2/files/\(id)", json: ["size": 1]).status == 409)
        #expect(try world.request("PUT", "/api/v2/files/test.edu%2Fbag%2Fnone", json: ["size": 1]).status == 404)
    }

    @Test("[Compat] API-99 revives a deleted file; DOM-63 supersedes the old primary on a uri change; DOM-70")
    func reviveAndStorageRecords() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let created = try FileShowTests.createFile(world, "test.edu/bag/data/a.txt", objectID: objectID,
                                                   object: "test.edu/bag", size: 40)
        try FileShowTests.createFile(world, "test.edu/bag/data/b.txt", objectID: objectID, object: "test.edu/bag", size: 2)
        let id = created["id"] as? Int ?? 0
        let oldURI = created["uri"] as? String ?? ""
        // What finish_delete does (another slice): state D, counts down, records superseded (DOM-65).
        _ = try world.sql("""
            UPDATE generic_files SET state = 'D' WHERE id = \(id);
            """)
        _ = try world.sql("UPDATE intellectual_objects SET file_count = 1, file_size = 2")
        _ = try world.sql("UPDATE storage_records SET superseded_at = now() WHERE generic_file_id = \(id)")

        let revived = try world.request("PUT", "/api/v2/files/\(id)", json: ["generic_file": ["uri": "https://s3.example/new/key"]])
        #expect(revived.status == 200)
        #expect(try revived.jsonObject()["state"] as? String == "A")
        #expect(try world.scalar("SELECT file_count || '/' || file_size FROM intellectual_objects") == "2/42")
        let changes = try world.scalar("SELECT details->'changes' FROM audit_log WHERE action = 'file.update'") ?? ""
        #expect(changes.contains(#""state": ["D", "A"]"#) && changes.contains(#""uri": ["\#(oldURI)", "https://s3.example/new/key"]"#))
        let records = try world.request("GET", "/api/v2/storage_records?generic_file_id=\(id)&kind=primary")
        let primaries = try records.results()
        #expect(primaries.map { $0["url"] as? String } == [oldURI, "https://s3.example/new/key"])
        #expect(primaries[0]["superseded_at"] is String && primaries[1]["superseded_at"] is NSNull)
        // Back to the old uri: its record is current again (unique per file and url), the other superseded.
        #expect(try world.request("PATCH", "/api/v2/files/\(id)", json: ["uri": oldURI]).status == 200)
        let current = try world.request("GET", "/api/v2/storage_records?generic_file_id=\(id)&current=true&kind=primary")
        #expect(try current.results().map { $0["url"] as? String } == [oldURI])
        // A size change of an active file moves file_size by the difference.
        #expect(try world.request("PATCH", "/api/v2/files/\(id)", json: ["size": 50]).status == 200)
        #expect(try world.scalar("SELECT file_count || '/' || file_size FROM intellectual_objects") == "2/52")
        // DOM-7: an update that changes no field still moves updated_at (and is audited, DOM-82).
        _ = try world.sql("UPDATE generic_files SET updated_at = '2020-01-01T00:00:00Z' WHERE id = \(id)")
        #expect(try world.request("PATCH", "/api/v2/files/\(id)", json: ["size": 50]).status == 200)
        #expect(try world.scalar("SELECT (updated_at > now() - interval '1 minute')::text FROM generic_files WHERE id = \(id)") == "true")
    }
}
