import Foundation
import Testing
import TestSupport

/// `POST /api/v2/events` (api-v2.md API-100, API-101, API-60..65; domain.md DOM-15, DOM-36, DOM-37,
/// DOM-71, DOM-82; auditor.md AUD-43..46).
@Suite("Events: create")
struct EventCreateTests {
    static let representationFields = [
        "id", "identifier", "event_type", "date_time", "detail", "outcome", "outcome_detail", "outcome_information",
        "object", "agent", "intellectual_object_id", "intellectual_object_identifier", "generic_file_id",
        "generic_file_identifier", "institution_id", "institution", "sequence", "entry_hash", "chain_hash",
        "created_at", "updated_at",
    ]

    @Test("W12: four object events as the record worker posts them → 201 each, sequence +1 each; chain verifies")
    func w12() throws {
        let world = try EventWorld()
        var events: [[String: Any]] = []
        for type in ["creation", "identifier assignment", "access assignment", "ingestion"] {
            let data = try JSONSerialization.data(withJSONObject: EventBodies.objectEvent(type))
            let response = try world.registry.client().request(
                method: "POST", path: "/api/v2/events/",
                headers: world.adminHeaders + [("Connection", "keep-alive, close")], body: Array(data))
            #expect(response.status == 201)
            #expect(response.headers["Idempotent-Replayed"] == nil)
            #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
            events.append(try response.jsonObject())
            // api-v2.md §8: every field, in order (API-31).
            let positions = Self.representationFields.map { response.text.range(of: "\"\($0)\":")?.lowerBound }
            #expect(!positions.contains(nil), "missing fields in \(response.text)")
            #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted())
        }
        #expect(events.map { $0["sequence"] as? Int } == [1, 2, 3, 4])
        let first = try #require(events.first)
        #expect(first["institution"] as? String == "test.edu")
        #expect(first["intellectual_object_id"] as? Int == Int(world.objectID))
        #expect(first["intellectual_object_identifier"] as? String == EventWorld.object)
        #expect(first["generic_file_id"] is NSNull)  // API-70
        #expect(first["generic_file_identifier"] is NSNull)
        #expect(first["outcome_information"] is NSNull)
        #expect(first["updated_at"] as? String == first["created_at"] as? String)
        #expect(first["date_time"] as? String == "2024-05-01T13:02:03.123456Z")
        let last = IndependentChain.verify(events)
        let head = try world.registry.sql().query(
            "SELECT sequence, encode(chain_hash, 'hex') FROM event_chain_heads WHERE institution_id = (SELECT id FROM institutions WHERE identifier = 'test.edu')")
        #expect(head.first == ["4", last])
    }

    @Test("API-60/62/65: identical repeat → 201 + Idempotent-Replayed, same id, one row; audit rows event.create + replayed")
    func replay() throws {
        let world = try EventWorld()
        let identifier = EventBodies.uuid()
        var body = EventBodies.fileEvent("fixity check", identifier: identifier, dateTime: "2024-06-01T10:00:00.123456789Z")
        let created = try world.post(body)
        #expect(created.status == 201)
        let id = try created.jsonObject()["id"] as? Int
        // Upper-case UUID (DOM-15), the wrapper (API-23), other nanoseconds that truncate alike (DOM-2),
        // ignored server-managed fields (API-24): all the same event.
        body["identifier"] = identifier.uppercased()
        body["date_time"] = "2024-06-01T10:00:00.123456001Z"
        body["sequence"] = 99
        body["id"] = 12345
        body["institution"] = "other.edu"
        let replayed = try world.post(body, wrapped: true)
        #expect(replayed.status == 201)
        #expect(replayed.headers["Idempotent-Replayed"] == "true")
        #expect(try replayed.jsonObject()["id"] as? Int == id)
        #expect(try replayed.jsonObject()["sequence"] as? Int == 1)
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "1")
        let audit = try world.registry.sql().query(
            "SELECT action, resource_type, resource_identifier, status, details::text, http_method FROM audit_log WHERE action = 'event.create' ORDER BY id")
        #expect(audit.count == 2)
        #expect(audit.first == ["event.create", "premis_event", identifier, "201", nil, "POST"])
        #expect(audit.last?[4] == #"{"replayed": true}"#)
        // The new event's audit row is written before the event, with the id reserved for it.
        let resourceIDs = try world.registry.sql().query(
            "SELECT resource_id FROM audit_log WHERE action = 'event.create' ORDER BY id")
        #expect(resourceIDs == [[id.map(String.init)], [id.map(String.init)]])
        #expect(try world.registry.eventTestValue("SELECT sequence FROM event_chain_heads h JOIN institutions i ON i.id = h.institution_id WHERE i.identifier = 'test.edu'") == "1")
        // OPS-37: one stored fixity event, one replay.
        let metrics = try world.registry.client().request(method: "GET", path: "/metrics").text
        #expect(metrics.contains(#"registry_events_created_total{event_type="fixity check",outcome_class="success"} 1"#))
        #expect(metrics.contains(#"registry_idempotent_replays_total{resource="event"} 1"#))
    }

    @Test("AUD-45/DOM-82: a chain head that cannot be locked fails the request (500) and commits nothing, audit row included")
    func unlockableHeadCommitsNothing() throws {
        let world = try EventWorld()
        // Every institution has its head row; without it the locking statement inserts nothing, and
        // the COMMIT pipelined behind it must not commit the audit row written before it.
        _ = try world.registry.sql().query(
            "DELETE FROM event_chain_heads WHERE institution_id = (SELECT id FROM institutions WHERE identifier = 'test.edu')")
        let response = try world.post(EventBodies.objectEvent("creation"))
        #expect(response.status == 500, "\(response.text)")
        #expect(!response.text.contains("AUD-45"), "internal detail in \(response.text)")
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "0")
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM audit_log WHERE action = 'event.create'") == "0")
        // The connection went back clean: the next request on the same pool works.
        #expect(try world.registry.client().request(method: "GET", path: "/api/v2/events/?per_page=1",
                                                    headers: world.adminHeaders).status == 200)
    }

    @Test("API-60: the same identifier with other content → 422 identifier has already been taken; nothing written")
    func conflict() throws {
        let world = try EventWorld()
        let identifier = EventBodies.uuid()
        #expect(try world.post(EventBodies.objectEvent("creation", identifier: identifier)).status == 201)
        for change in [("detail", "Something else"), ("outcome", "Failure"), ("date_time", "2024-05-01T13:02:03.123457Z")] {
            var body = EventBodies.objectEvent("creation", identifier: identifier)
            body[change.0] = change.1
            let response = try world.post(body)
            #expect(response.status == 422, "\(change.0)")
            #expect(response.text == #"{"status":"error","message":"validation failed","errors":{"identifier":["has already been taken"]}}"#)
        }
        // Another parent is other content too (API-62: the resolved parents are compared).
        var fileLevel = EventBodies.fileEvent("creation", identifier: identifier)
        fileLevel["detail"] = "Object creation"
        #expect(try world.post(fileLevel).status == 422)
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "1")
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM audit_log WHERE action = 'event.create'") == "1")
        #expect(try world.registry.eventTestValue("SELECT sequence FROM event_chain_heads WHERE sequence > 0") == "1")
    }

    @Test("API-52: every field error at once; DOM-3 Go zero time, DOM-15 UUID, DOM-36 case, DOM-37, DOM-4")
    func validationErrorsAllAtOnce() throws {
        let world = try EventWorld()
        let body: [String: Any] = [
            "identifier": "not-a-uuid", "event_type": "Fixity Check", "date_time": "0001-01-01T00:00:00Z",
            "outcome": "failed", "detail": "", "outcome_detail": 5, "agent": "   ", "outcome_information": 7,
            "generic_file_identifier": "test.edu/bag/data/missing.txt",
        ]
        let response = try world.post(body)
        #expect(response.status == 422)
        let object = try response.jsonObject()
        #expect(object["message"] as? String == "validation failed")
        let errors = try #require(object["errors"] as? [String: [String]])
        #expect(errors == [
            "identifier": ["is invalid"], "event_type": ["is not included in the list"], "date_time": ["is invalid"],
            "outcome": ["is not included in the list"], "detail": ["can't be blank"],
            "outcome_detail": ["must be a string"], "object": ["can't be blank"], "agent": ["can't be blank"],
            "outcome_information": ["must be a string"], "generic_file_identifier": ["does not exist"],
        ])
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "0")
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM audit_log WHERE action = 'event.create'") == "0")

        // DOM-15: one rule for top-level and nested events; any length of non-UUID is `is invalid`.
        for length in [37, 100] {
            let long = EventBodies.objectEvent("creation", identifier: String(repeating: "a", count: length))
            #expect(try world.post(long).text.contains(#""identifier":["is invalid"]"#))
        }

        var badDate = EventBodies.objectEvent("creation")
        badDate["date_time"] = "2024-05-01 13:02:03"
        #expect(try world.post(badDate).text.contains(#""date_time":["is invalid"]"#))
        var missingDate = EventBodies.objectEvent("creation")
        missingDate["date_time"] = NSNull()
        #expect(try world.post(missingDate).text.contains(#""date_time":["can't be blank"]"#))
    }

    @Test("DOM-15/DOM-2/DOM-37: upper-case UUID stored lower, nanoseconds truncated, Failed stored as sent, \"\" information is null")
    func normalizations() throws {
        let world = try EventWorld()
        let identifier = EventBodies.uuid()
        var body = EventBodies.fileEvent("fixity check", identifier: identifier.uppercased(),
                                         dateTime: "2024-05-01T15:02:03.999999999+02:00", outcome: "Failed")
        body["outcome_information"] = ""
        let response = try world.post(body)
        #expect(response.status == 201)
        let event = try response.jsonObject()
        #expect(event["identifier"] as? String == identifier)
        #expect(event["date_time"] as? String == "2024-05-01T13:02:03.999999Z")
        #expect(event["outcome"] as? String == "Failed")
        #expect(event["outcome_information"] is NSNull)
        #expect(event["generic_file_identifier"] as? String == EventWorld.file)
        #expect(event["generic_file_id"] as? Int == Int(world.fileID))
        #expect(try world.registry.eventTestValue("SELECT to_char(date_time AT TIME ZONE 'UTC', 'US') FROM premis_events") == "999999")
        IndependentChain.verify([event])
        // API-26: a fraction of any length (here 2,000 digits) is accepted and truncated.
        let long = try world.post(EventBodies.objectEvent("creation", identifier: EventBodies.uuid(),
                                                          dateTime: "2024-05-01T13:02:03." + String(repeating: "1234567890", count: 200) + "Z"))
        #expect(long.status == 201, "\(long.text)")
        #expect(try long.jsonObject()["date_time"] as? String == "2024-05-01T13:02:03.123456Z")
    }

    @Test("API-100/DOM-71: parents by identifier or id, agreement checks, institution_id, 0 as absent (API-24)")
    func parents() throws {
        let world = try EventWorld()
        try world.registry.makeEventTestObject("test.edu/other")
        func post(_ fields: [String: Any]) throws -> TestHTTPResponse {
            var body = EventBodies.objectEvent("creation")
            body["intellectual_object_identifier"] = nil
            for (key, value) in fields { body[key] = value }
            return try world.post(body)
        }
        let byObjectID = try post(["intellectual_object_id": Int(world.objectID)])
        #expect(byObjectID.status == 201)
        #expect(try byObjectID.jsonObject()["intellectual_object_identifier"] as? String == EventWorld.object)
        let byFileID = try post(["generic_file_id": Int(world.fileID), "intellectual_object_id": 0])
        #expect(byFileID.status == 201)
        #expect(try byFileID.jsonObject()["generic_file_identifier"] as? String == EventWorld.file)
        let zeroFile = try post(["generic_file_id": 0, "intellectual_object_identifier": EventWorld.object,
                                 "institution_id": try #require(Int(world.registry.eventTestValue("SELECT id FROM institutions") ?? ""))])
        #expect(zeroFile.status == 201)
        #expect(try zeroFile.jsonObject()["generic_file_id"] is NSNull)
        let agreeing = try post(["generic_file_identifier": EventWorld.file, "generic_file_id": Int(world.fileID),
                                 "intellectual_object_identifier": EventWorld.object,
                                 "intellectual_object_id": Int(world.objectID)])
        #expect(agreeing.status == 201)

        let none = try post([:])
        #expect(none.text.contains(#""errors":{"intellectual_object_identifier":["can't be blank"]}"#))
        let wrongObject = try post(["generic_file_identifier": EventWorld.file, "intellectual_object_identifier": "test.edu/other"])
        #expect(wrongObject.text.contains(#""intellectual_object_identifier":["does not match the file's object"]"#))
        let wrongObjectID = try post(["generic_file_identifier": EventWorld.file, "intellectual_object_id": 999_999])
        #expect(wrongObjectID.text.contains(#""intellectual_object_id":["does not match the file's object"]"#))
        let disagreeingFile = try post(["generic_file_identifier": EventWorld.file, "generic_file_id": 999_999])
        #expect(disagreeingFile.text.contains(#""generic_file_id":["does not exist"]"#))
        let unknownObject = try post(["intellectual_object_identifier": "test.edu/nope"])
        #expect(unknownObject.text.contains(#""intellectual_object_identifier":["does not exist"]"#))
        let numericIdentifier = try post(["intellectual_object_identifier": String(world.objectID)])
        #expect(numericIdentifier.text.contains(#""intellectual_object_identifier":["does not exist"]"#))
        let objectsDisagree = try post(["intellectual_object_identifier": "test.edu/other", "intellectual_object_id": Int(world.objectID)])
        #expect(objectsDisagree.text.contains(#""intellectual_object_id":["does not match intellectual_object_identifier"]"#))
        let wrongInstitution = try post(["intellectual_object_identifier": EventWorld.object, "institution_id": 999_999])
        #expect(wrongInstitution.text.contains(#""institution_id":["does not match the object's institution"]"#))
        let wrongType = try post(["intellectual_object_id": "12"])
        #expect(wrongType.text.contains(#""intellectual_object_id":["must be an integer"]"#))
        for response in [none, wrongObject, wrongObjectID, disagreeingFile, unknownObject, numericIdentifier, objectsDisagree,
                         wrongInstitution, wrongType] {
            #expect(response.status == 422)
        }
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "4")
    }

    @Test("DOM-96b/API-20..22: 401, 403 before body checks, 415, 400 malformed / empty / array")
    func requestChecks() throws {
        let world = try EventWorld()
        let instAdmin = try world.registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
        let client = try world.registry.client()
        let anonymous = try client.request(method: "POST", path: "/api/v2/events", body: "{}")
        #expect(anonymous.status == 401)
        let forbidden = try client.request(method: "POST", path: "/api/v2/events", headers: instAdmin.headers, body: "{not json")
        #expect(forbidden.status == 403)
        #expect(forbidden.text == #"{"status":"error","message":"you are not authorized to do this"}"#)
        let textBody = try client.request(method: "POST", path: "/api/v2/events",
                                          headers: world.admin.headers + [("Content-Type", "text/plain")], body: "{}")
        #expect(textBody.status == 415)
        // API-20: every Content-Encoding field counts, a second one after `identity` too.
        for encodings in [["gzip"], ["identity", "gzip"], ["identity, br"]] {
            let encoded = try client.request(method: "POST", path: "/api/v2/events",
                                             headers: world.adminHeaders + encodings.map { ("Content-Encoding", $0) }, body: "{}")
            #expect(encoded.status == 415, "\(encodings)")
        }
        let malformed = try client.request(method: "POST", path: "/api/v2/events", headers: world.adminHeaders, body: "{\"a\":")
        #expect(malformed.status == 400)
        let malformedMessage = try malformed.jsonObject()["message"] as? String
        #expect(malformedMessage?.hasPrefix("malformed JSON") == true)
        let empty = try client.request(method: "POST", path: "/api/v2/events", headers: world.adminHeaders)
        #expect(empty.status == 400)
        #expect(try empty.jsonObject()["message"] as? String == "request body is required")
        let array = try client.request(method: "POST", path: "/api/v2/events", headers: world.adminHeaders, body: "[]")
        #expect(array.status == 400)
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "0")
    }

    @Test("DOM-80/API-101: PUT, PATCH, DELETE on events → 405 with Allow; member API has no POST (API-80)")
    func noUpdates() throws {
        let world = try EventWorld()
        let created = try world.post(EventBodies.objectEvent("creation"))
        let identifier = try #require(try created.jsonObject()["identifier"] as? String)
        // A rejected request's body is not read, so the server closes the connection after the 405:
        // each request gets its own client.
        for method in ["PUT", "PATCH", "DELETE"] {
            let one = try world.registry.client().request(method: method, path: "/api/v2/events/\(identifier)", headers: world.adminHeaders, body: "{}")
            #expect(one.status == 405)
            #expect(one.headers["Allow"] == "GET, HEAD")
            let collection = try world.registry.client().request(method: method, path: "/api/v2/events/", headers: world.adminHeaders, body: "{}")
            #expect(collection.status == 405)
            #expect(collection.headers["Allow"] == "GET, HEAD, POST")
        }
        let member = try world.registry.client().request(method: "POST", path: "/member-api/v2/events", headers: world.adminHeaders, body: "{}")
        #expect(member.status == 405)
        #expect(member.headers["Allow"] == "GET, HEAD")
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "1")
    }
}
