import Foundation
import Testing
import TestSupport

/// `POST /api/v2/objects/{inst}` (api-v2.md API-92, replay API-60..65, W9–W11).
@Suite("objects: create")
struct ObjectCreateTests {
    /// A computed property: `[String: Any]` is not Sendable, so it cannot be a stored static.
    static var ingestBody: [String: Any] {
        [
        "intellectual_object": [
            "identifier": "test.edu/bag", "title": "Bag One", "access": "institution", "institution_id": 0,
            "description": "", "etag": "abc123", "state": "A", "id": 0, "file_count": 0, "dpn_uuid": "",
            "bag_group_identifier": "group-1", "storage_option": "Standard",
        ] as [String: Any],
        ]
    }

    @Test("W9, W10, W11: create, identical repeat replays with the same id, changed title is 422")
    func workerCreateReplayConflict() throws {
        let world = try ObjectWorld()
        let created = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: Self.ingestBody,
                                     extraHeaders: [("Connection", "keep-alive, close")])
        #expect(created.status == 201)
        #expect(created.headers["Idempotent-Replayed"] == nil)
        let object = try created.jsonObject()
        let id = try #require(object["id"] as? Int)
        #expect(id > 0)
        #expect(object["institution"] as? String == "test.edu")
        #expect(object["institution_id"] as? Int == Int(world.testEduID))
        #expect(object["file_count"] as? Int == 0)
        #expect(object["file_size"] as? Int == 0)
        #expect(object["state"] as? String == "A")
        #expect(object["bag_name"] as? String == "bag")  // DOM-12 derived
        #expect(object["description"] is NSNull)  // DOM-4: "" stored as NULL
        #expect((object["created_at"] as? String)?.hasSuffix("Z") == true)
        #expect(created.text.contains(#""identifier":"test.edu/bag""#))  // API-33: slashes unescaped

        let replay = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: Self.ingestBody)
        #expect(replay.status == 201)
        #expect(replay.headers["Idempotent-Replayed"] == "true")
        #expect(try replay.jsonObject()["id"] as? Int == id)

        var changed = Self.ingestBody["intellectual_object"] as? [String: Any] ?? [:]
        changed["title"] = "Another title"
        let conflict = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin,
                                      json: ["intellectual_object": changed])
        #expect(conflict.status == 422)
        #expect(conflict.text.contains("has already been taken"))
        #expect(conflict.fieldErrors["identifier"] == ["has already been taken"])

        #expect(try world.sql().scalar("SELECT count(*) FROM intellectual_objects") == "1")
        // DOM-82, API-65: one audit row per successful create, the replay marked as such.
        let audits = try world.auditRows("object.create")
        #expect(audits.count == 2)
        #expect(audits.first?[0] == "test.edu/bag")
        #expect(audits.first?[1] == "201")
        #expect(audits.first?[3] == "intellectual_object")
        #expect(audits.last?[2] == #"{"replayed": true}"#)
    }

    @Test("API-62: replay compares after defaults and derivations (absent = default, explicit default = same)")
    func replayComparesNormalizedContent() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/norm", extra: ["storage_option": "Standard", "bag_name": "norm", "etag": ""])
        // Absent storage_option (default Standard), absent bag_name (derived), absent etag (null).
        let replay = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin,
                                    json: ["identifier": "test.edu/norm", "title": "A title", "access": "institution"])
        #expect(replay.status == 201)
        #expect(replay.headers["Idempotent-Replayed"] == "true")
        // DOM-5: a canonically equivalent but different byte sequence is different content.
        try world.createObject("test.edu/nfc", title: "caf\u{E9}")
        let decomposed = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin,
                                        json: ["identifier": "test.edu/nfc", "title": "cafe\u{301}", "access": "institution"])
        #expect(decomposed.status == 422)
        // Another storage option is other content.
        let glacier = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin,
                                     json: ["identifier": "test.edu/norm", "title": "A title", "access": "institution",
                                            "storage_option": "Glacier-OH"])
        #expect(glacier.status == 422)
    }

    @Test("API-92: bare body, state forced A, bag_name stored as sent, optional fields, storage_option")
    func bareBodyAndDefaults() throws {
        let world = try ObjectWorld()
        let response = try world.send("POST", "/api/v2/objects/test.edu/", as: world.admin, json: [
            "identifier": "test.edu/bare bag", "title": "T", "access": "consortia", "state": "D",
            "bag_name": "original.tar", "storage_option": "Glacier-Deep-OR", "alt_identifier": "alt",
            "bagit_profile_identifier": "https://example.org/profile.json", "source_organization": "Org",
            "internal_sender_identifier": "isi", "internal_sender_description": "isd", "file_count": 99,
            "institution": "other.edu",
        ])
        #expect(response.status == 201)
        let object = try response.jsonObject()
        #expect(object["state"] as? String == "A")
        #expect(object["bag_name"] as? String == "original.tar")
        #expect(object["storage_option"] as? String == "Glacier-Deep-OR")
        #expect(object["alt_identifier"] as? String == "alt")
        #expect(object["internal_sender_description"] as? String == "isd")
        #expect(object["file_count"] as? Int == 0)  // API-24: server-managed fields ignored
        #expect(object["institution"] as? String == "test.edu")
        #expect(object["etag"] is NSNull)

        // DOM-12/DOM-6: a long bag name is stored as sent, also random text no btree entry could
        // hold (migration 0006 indexes a hash and a 512-character prefix of it).
        let long = String(repeating: "b", count: 5000)
        let stored = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: [
            "identifier": "test.edu/long", "title": "T", "access": "consortia", "bag_name": long,
        ])
        #expect(stored.status == 201)
        #expect(try stored.jsonObject()["bag_name"] as? String == long)
        let random = (0..<150).map { _ in UUID().uuidString }.joined()
        let randomStored = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: [
            "identifier": "test.edu/random", "title": "T", "access": "consortia", "bag_name": random,
        ])
        #expect(randomStored.status == 201)
        #expect(try randomStored.jsonObject()["bag_name"] as? String == random)
        let tooLong = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: [
            "identifier": "test.edu/too-long", "title": "T", "access": "consortia",
            "bag_name": String(repeating: "b", count: 65_536),
        ])
        #expect(tooLong.status == 422)
        #expect(tooLong.fieldErrors["bag_name"] == ["is too long"])
    }

    @Test("API-52, DOM-11, API-27: every field error of the record at once")
    func validationReportsEveryField() throws {
        let world = try ObjectWorld()
        let response = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: ["intellectual_object": [
            "identifier": "other.edu/bag", "title": "  ", "access": "public", "storage_option": "Glacier",
            "etag": String(repeating: "e", count: 256), "institution_id": world.otherEduID, "description": 5,
            "generic_files_attributes": [["identifier": "test.edu/bag/data/a.txt"]],
            "premis_events_attributes": [["identifier": "x"]],
        ] as [String: Any]])
        #expect(response.status == 422)
        let errors = response.fieldErrors
        #expect(errors["identifier"] == [#"must start with "test.edu/""#])
        #expect(errors["title"] == ["can't be blank"])
        #expect(errors["access"] == ["is not included in the list"])
        #expect(errors["storage_option"] == ["is not included in the list"])
        #expect(errors["etag"] == ["is too long"])
        #expect(errors["institution_id"] == ["does not match the institution in the path"])
        #expect(errors["description"] == ["must be a string"])
        let nested = "nested records are not supported here; use create_batch or POST /api/v2/events"
        #expect(errors["generic_files_attributes"] == [nested])
        #expect(errors["premis_events_attributes"] == [nested])
        #expect(try world.sql().scalar("SELECT count(*) FROM intellectual_objects") == "0")
        #expect(try world.auditRows("object.create").isEmpty)  // DOM-82: no row for a failed request

        // API-27: the key itself is refused, an empty list too; `null` counts as not sent.
        for key in ["generic_files_attributes", "premis_events_attributes"] {
            let empty = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: [
                "identifier": "test.edu/empty", "title": "t", "access": "institution", key: [Any](),
            ] as [String: Any])
            #expect(empty.status == 422 && empty.fieldErrors[key] == [nested], "\(key)")
        }
        let null = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: [
            "identifier": "test.edu/null", "title": "t", "access": "institution", "generic_files_attributes": NSNull(),
        ] as [String: Any])
        #expect(null.status == 201)
    }

    @Test("DOM-11: identifier shape; missing required fields")
    func identifierRules() throws {
        let world = try ObjectWorld()
        let cases: [(String, String)] = [
            ("test.edu/a/b", "is invalid"), ("test.edu/", "is invalid"), ("test.edu/..", "is invalid"),
            ("test.edu/.", "is invalid"), ("test.edu/tab\there", "is invalid"), ("test.edu/del\u{7F}", "is invalid"),
            ("test.edu", #"must start with "test.edu/""#), ("Test.edu/bag", #"must start with "test.edu/""#),
            ("test.edu/" + String(repeating: "b", count: 1016), "is too long"),
        ]
        for (identifier, message) in cases {
            let response = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin,
                                          json: ["identifier": identifier, "title": "t", "access": "institution"])
            #expect(response.status == 422, "\(identifier)")
            #expect(response.fieldErrors["identifier"] == [message], "\(identifier)")
        }
        let empty = try world.send("POST", "/api/v2/objects/test.edu", as: world.admin, json: ["intellectual_object": [:]])
        #expect(empty.status == 422)
        #expect(empty.fieldErrors["identifier"] == ["can't be blank"])
        #expect(empty.fieldErrors["title"] == ["can't be blank"])
        #expect(empty.fieldErrors["access"] == ["can't be blank"])
        // Exactly 1024 bytes is allowed (DOM-11).
        let longest = "test.edu/" + String(repeating: "b", count: 1015)
        #expect(try world.createObject(longest)["identifier"] as? String == longest)
        // "." and ".." are only forbidden as the whole bag name.
        try world.createObject("test.edu/..bag.")
    }

    @Test("DOM-96b: 404 for an unknown or invisible path institution, then 403, then body errors")
    func orderOfChecks() throws {
        let world = try ObjectWorld()
        let body = ["identifier": "test.edu/bag", "title": "t", "access": "institution"]
        let unknown = try world.send("POST", "/api/v2/objects/nowhere.edu", as: world.admin, json: body)
        #expect(unknown.status == 404)
        #expect(unknown.message == "institution not found: nowhere.edu")
        // An object identifier in the path: the path is route #4/#6/#8's, which has no POST (API-7).
        let notAnInstitution = try world.send("POST", "/api/v2/objects/test.edu%2Fbag", as: world.admin, json: body)
        #expect(notAnInstitution.status == 405)
        #expect(notAnInstitution.headers.values("Allow") == ["GET, HEAD, PUT, PATCH, DELETE"])
        // Another institution is invisible to a non-admin: 404 like an unknown one, even before 403.
        let foreign = try world.send("POST", "/api/v2/objects/other.edu", as: world.instAdmin, json: body)
        #expect(foreign.status == 404)
        #expect(foreign.message == "institution not found: other.edu")
        // Own institution: visible, but only admins create (403), before the malformed body (400).
        let client = try world.client()
        let forbidden = try client.request(method: "POST", path: "/api/v2/objects/test.edu",
                                           headers: world.instAdmin.headers + [("Content-Type", "application/json")],
                                           body: "{not json")
        #expect(forbidden.status == 403)
        #expect(forbidden.message == "you are not authorized to do this")
        let malformed = try client.request(method: "POST", path: "/api/v2/objects/test.edu",
                                           headers: world.admin.headers + [("Content-Type", "application/json")],
                                           body: "{not json")
        #expect(malformed.status == 400)
        #expect(malformed.message?.hasPrefix("malformed JSON") == true)
        let emptyBody = try client.request(method: "POST", path: "/api/v2/objects/test.edu", headers: world.admin.headers)
        #expect(emptyBody.status == 400)
        #expect(emptyBody.message == "request body is required")
        let wrongType = try client.request(method: "POST", path: "/api/v2/objects/test.edu",
                                           headers: world.admin.headers + [("Content-Type", "text/plain")], body: "{}")
        #expect(wrongType.status == 415)
        let unauthenticated = try client.request(method: "POST", path: "/api/v2/objects/test.edu", body: "{}")
        #expect(unauthenticated.status == 401)
        // Route #5 is not a member route (API-80).
        let member = try world.send("POST", "/member-api/v2/objects/test.edu", as: world.admin, json: body)
        #expect(member.status == 405)
        #expect(member.headers["Allow"] == "GET, HEAD")
    }

    @Test("API-65: 20 concurrent identical creates store one row; every answer is 201")
    func concurrentIdenticalCreates() throws {
        let world = try ObjectWorld(environment: ["DB_POOL_SIZE": "25"])
        let body = Array(try JSONSerialization.data(withJSONObject: Self.ingestBody))
        // Real threads (the cooperative pool has only as many threads as cores), each with its own
        // open connection, released together so the twenty inserts race for the unique index.
        let clients = try (0..<20).map { _ in try world.client() }
        let start = DispatchSemaphore(value: 0)
        let done = DispatchGroup()
        let results = ResultBox()
        for client in clients {
            // Each client is used by exactly one thread from here on.
            nonisolated(unsafe) let client = client
            done.enter()
            Thread.detachNewThread {
                start.wait()
                let response = try? client.request(
                    method: "POST", path: "/api/v2/objects/test.edu/",
                    headers: world.admin.headers + [("Content-Type", "application/json")], body: body)
                results.append(response.map { ($0.status, $0.headers["Idempotent-Replayed"] == "true") } ?? (0, false))
                done.leave()
            }
        }
        for _ in clients { start.signal() }
        #expect(done.wait(timeout: .now() + 60) == .success)
        let statuses = results.values
        #expect(statuses.count == 20)
        #expect(statuses.allSatisfy { $0.0 == 201 }, "\(statuses.map(\.0))")
        #expect(statuses.filter { !$0.1 }.count == 1)
        #expect(try world.sql().scalar("SELECT count(*) FROM intellectual_objects") == "1")
        #expect(try world.auditRows("object.create").count == 20)
    }
}

/// Results collected from several threads.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [(Int, Bool)] = []

    func append(_ value: (Int, Bool)) {
        lock.lock()
        collected.append(value)
        lock.unlock()
    }

    var values: [(Int, Bool)] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }
}
