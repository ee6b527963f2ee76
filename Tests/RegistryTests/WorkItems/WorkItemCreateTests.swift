import Foundation
import Testing
import TestSupport

/// `POST /api/v2/items` (route #33, api-v2.md API-106; domain.md §4.8, DOM-66a, DOM-75).
@Suite("Work items: create")
struct WorkItemCreateTests {
    @Test("W3: bare work item → exactly 201, id > 0, work_item_state_id null; Go zero values read as absent")
    func w3BareCreate() throws {
        let api = try WorkItemFixture.start()
        let response = try api.send("POST", "/api/v2/items/", json: api.ingestItem())
        #expect(response.status == 201)
        #expect(response.headers.values("Content-Type") == ["application/json; charset=utf-8"])
        let item = try response.jsonObject()
        #expect((item["id"] as? Int ?? 0) > 0)
        #expect(isNull(item["work_item_state_id"]))
        #expect(item["name"] as? String == "bag1.tar")
        #expect(item["etag"] as? String == "etag-1")
        // DOM-2: nanoseconds truncated, not rounded.
        #expect(item["bag_date"] as? String == "2024-05-01T13:02:03.123456Z")
        #expect(item["institution_id"] as? Int == Int(api.testEduID))
        // DOM-3 / DOM-66a: zero times and "" are NULL, zero ids absent.
        for field in ["queued_at", "stage_started_at", "object_identifier", "generic_file_identifier", "node",
                      "intellectual_object_id", "generic_file_id", "inst_approver", "aptrust_approver", "deletion_request_id"] {
            #expect(isNull(item[field]), "\(field)")
        }
        #expect(item["pid"] as? Int == 0)
        #expect(item["size"] as? Int == 1234)
        // Every field of api-v2.md §8 in order (admin representation).
        let expected = ["id", "name", "etag", "bag_date", "bucket", "user", "note", "action", "stage", "status", "outcome",
                        "date", "retry", "needs_admin_review", "object_identifier", "generic_file_identifier",
                        "intellectual_object_id", "generic_file_id", "institution_id", "node", "pid", "queued_at", "size",
                        "stage_started_at", "inst_approver", "aptrust_approver", "deletion_request_id",
                        "work_item_state_id", "created_at", "updated_at"]
        #expect(keysInOrder(response.text) == expected)
        #expect(try api.scalar("SELECT count(*) FROM audit_log WHERE action = 'work_item.create' AND status = 201") == "1")
    }

    @Test("API-23: wrapped in work_item; user defaults to the caller's e-mail and date to now")
    func wrappedAndDefaults() throws {
        let api = try WorkItemFixture.start()
        var item = api.ingestItem("bag2.tar")
        item["user"] = nil
        item["date"] = nil
        item["retry"] = nil
        let before = Date()
        let response = try api.send("POST", "/api/v2/items", json: ["work_item": item, "ignored": 1])
        #expect(response.status == 201)
        let created = try response.jsonObject()
        #expect(created["user"] as? String == "system@aptrust.org")
        #expect(created["retry"] as? Bool == false)
        let date = ISO8601DateFormatter.withFraction.date(from: created["date"] as? String ?? "")
        #expect(date.map { abs($0.timeIntervalSince(before)) < 60 } == true)
    }

    @Test("API-106 [Compat]: etag required only for Ingest; other actions store absent, null and \"\" as NULL")
    func etagRules() throws {
        let api = try WorkItemFixture.start()
        for etag in ["", NSNull()] as [Any] {
            let response = try api.send("POST", "/api/v2/items/", json: api.ingestItem("x.tar", ["etag": etag]))
            #expect(response.status == 422)
            #expect(fieldError(response, "etag") == "can't be blank")
        }
        var missing = api.ingestItem("x.tar")
        missing["etag"] = nil
        #expect(fieldError(try api.send("POST", "/api/v2/items/", json: missing), "etag") == "can't be blank")
        // The Glacier restore worker echoes a NULL etag as "".
        for (index, etag) in (["", NSNull(), nil] as [Any?]).enumerated() {
            var restore = api.ingestItem("r\(index).tar", ["action": "Restore", "stage": "Requested"])
            restore["etag"] = etag
            let created = try api.create(restore)
            #expect(isNull(created["etag"]))
        }
        #expect(try api.scalar("SELECT count(*) FROM work_items WHERE etag IS NULL") == "3")
        let tooLong = try api.send("POST", "/api/v2/items/", json: api.ingestItem("x.tar", etag: String(repeating: "e", count: 256)))
        #expect(fieldError(tooLong, "etag") == "is too long")
    }

    @Test("API-52/API-25: every field error at once, with the exact messages")
    func validation() throws {
        let api = try WorkItemFixture.start()
        let response = try api.send("POST", "/api/v2/items/", json: [
            "name": "", "action": "Ingest", "etag": 5, "bag_date": "yesterday", "institution_id": "1", "note": " ",
            "stage": "Nowhere", "status": NSNull(), "retry": "yes", "pid": -1, "size": -5, "queued_at": 3,
        ] as [String: Any])
        #expect(response.status == 422)
        let body = try response.jsonObject()
        #expect(body["status"] as? String == "error")
        let expected: [String: String] = [
            "name": "can't be blank", "etag": "must be a string", "bag_date": "is invalid", "bucket": "can't be blank",
            "institution_id": "must be an integer", "note": "can't be blank", "stage": "is not included in the list",
            "status": "can't be blank", "outcome": "can't be blank", "retry": "must be a boolean",
            "pid": "must be greater than or equal to 0", "size": "must be greater than or equal to 0",
            "queued_at": "must be a string",
        ]
        for (field, message) in expected {
            #expect(fieldError(response, field) == message, "\(field)")
        }
        let pid = try api.send("POST", "/api/v2/items/", json: api.ingestItem("p.tar", ["pid": 2_147_483_648]))
        #expect(fieldError(pid, "pid") == "must be an integer")
        let zeroBagDate = try api.send("POST", "/api/v2/items/", json: api.ingestItem("z.tar", ["bag_date": "0001-01-01T00:00:00Z"]))
        #expect(fieldError(zeroBagDate, "bag_date") == "is invalid")
        let unknownInstitution = try api.send("POST", "/api/v2/items/", json: api.ingestItem("u.tar", ["institution_id": 999_999]))
        #expect(fieldError(unknownInstitution, "institution_id") == "is invalid")
        // API-52: every error at once, the unknown ids named by the body included.
        let both = try api.send("POST", "/api/v2/items/",
                                json: api.ingestItem("", ["institution_id": 999_999, "generic_file_id": 888_888]))
        #expect(both.status == 422)
        #expect(fieldError(both, "name") == "can't be blank")
        #expect(fieldError(both, "institution_id") == "is invalid")
        #expect(fieldError(both, "generic_file_id") == "is invalid")
        let noInstitution = try api.send("POST", "/api/v2/items/", json: api.ingestItem("u.tar", ["institution_id": 0]))
        #expect(fieldError(noInstitution, "institution_id") == "can't be blank")
        let action = try api.send("POST", "/api/v2/items/", json: api.ingestItem("a.tar", ["action": "ingest"]))
        #expect(fieldError(action, "action") == "is not included in the list")
        #expect(try api.scalar("SELECT count(*) FROM work_items") == "0")
        #expect(try api.scalar("SELECT count(*) FROM audit_log WHERE action = 'work_item.create'") == "0")
    }

    @Test("API-20..22: missing body 400, malformed JSON 400, array 400, other content type 415")
    func bodyErrors() throws {
        let api = try WorkItemFixture.start()
        let empty = try api.send("POST", "/api/v2/items/")
        #expect(empty.status == 400)
        #expect(try empty.jsonObject()["message"] as? String == "request body is required")
        let malformed = try api.send("POST", "/api/v2/items/", body: Array("{\"name\":".utf8))
        #expect(malformed.status == 400)
        #expect((try malformed.jsonObject()["message"] as? String)?.hasPrefix("malformed JSON") == true)
        let array = try api.send("POST", "/api/v2/items/", json: [1])
        #expect(array.status == 400)
        let xml = try api.client.request(method: "POST", path: "/api/v2/items/",
                                         headers: api.admin.headers + [("Content-Type", "text/xml")], body: Array("<a/>".utf8))
        #expect(xml.status == 415)
    }

    @Test("DOM-6 [Compat]: a note over 65,535 bytes is stored cut at a UTF-8 boundary, not refused")
    func noteTruncation() throws {
        let api = try WorkItemFixture.start()
        let note = String(repeating: "a", count: 65_534) + "é" + String(repeating: "z", count: 100_000)
        let created = try api.create(api.ingestItem("n.tar", ["note": note]))
        #expect((created["note"] as? String)?.utf8.count == 65_534)
        #expect(try api.scalar("SELECT octet_length(note) FROM work_items") == "65534")
        let withNUL = try api.send("POST", "/api/v2/items/", json: api.ingestItem("n2.tar", ["note": "a\u{0}b"]))
        #expect(fieldError(withNUL, "note") == "is invalid")
    }

    @Test("DOM-75: ids follow the identifiers; a finished ingest derives object_identifier from its name")
    func derivedReferences() throws {
        let api = try WorkItemFixture.start()
        let (objectID, fileID) = try insertObjectAndFile(api, bag: "bag9")
        let linked = try api.create(api.ingestItem("bag9.tar", ["object_identifier": "test.edu/bag9",
                                                                "generic_file_identifier": "test.edu/bag9/data/a.txt"]))
        #expect(linked["intellectual_object_id"] as? Int == objectID)
        #expect(linked["generic_file_id"] as? Int == fileID)
        let unknown = try api.create(api.ingestItem("bag8.tar", ["object_identifier": "test.edu/bag8"]))
        #expect(isNull(unknown["intellectual_object_id"]))
        let finished = try api.create(api.ingestItem("bag9.b001.of002.tar", ["stage": "Cleanup", "status": "Success"]))
        #expect(finished["object_identifier"] as? String == "test.edu/bag9")
        #expect(finished["intellectual_object_id"] as? Int == objectID)
        // A body id must exist and agree with the identifier; alone it supplies the identifier.
        let byID = try api.create(api.ingestItem("bag9.tar", ["intellectual_object_id": objectID]))
        #expect(byID["object_identifier"] as? String == "test.edu/bag9")
        let mismatch = try api.send("POST", "/api/v2/items/", json: api.ingestItem("bag9.tar", [
            "intellectual_object_id": objectID, "object_identifier": "test.edu/other"]))
        #expect(fieldError(mismatch, "intellectual_object_id") == "does not match object_identifier")
        let missing = try api.send("POST", "/api/v2/items/", json: api.ingestItem("bag9.tar", ["generic_file_id": 999_999,
                                                                                              "deletion_request_id": 999_999]))
        #expect(fieldError(missing, "generic_file_id") == "is invalid")
        #expect(fieldError(missing, "deletion_request_id") == "is invalid")
    }

    @Test("§7.2: create is admin only — 403 for inst admins and inst users, 401 without a key")
    func permissions() throws {
        let api = try WorkItemFixture.start()
        for caller in [api.instAdmin, api.instUser] {
            let response = try api.send("POST", "/api/v2/items/", as: caller, json: api.ingestItem())
            #expect(response.status == 403)
            #expect(try response.jsonObject()["message"] as? String == "you are not authorized to do this")
        }
        let anonymous = try api.client.request(method: "POST", path: "/api/v2/items/", body: Array("{}".utf8))
        #expect(anonymous.status == 401)
        let member = try api.send("POST", "/member-api/v2/items/", json: api.ingestItem())
        #expect(member.status == 405)
        #expect(try api.scalar("SELECT count(*) FROM work_items") == "0")
    }
}

/// An object `test.edu/<bag>` with one file `…/data/a.txt`, written directly (the object and file
/// routes are another slice); returns their ids.
func insertObjectAndFile(_ api: WorkItemFixture, bag: String) throws -> (object: Int, file: Int) {
    let sql = try api.registry.sql()
    let object = try sql.scalar("""
        INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access, state)
        VALUES ('test.edu/' || $1, $1, $2, 'Title', 'institution', 'A') RETURNING id
        """, [bag, String(api.testEduID)]) ?? "0"
    let file = try sql.scalar("""
        INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                   file_format, uri, size, state, storage_option)
        VALUES ('test.edu/' || $1 || '/data/a.txt', $2, 'test.edu/' || $1, $3, 'text/plain', 'https://s3/x', 1, 'A', 'Standard')
        RETURNING id
        """, [bag, object, String(api.testEduID)]) ?? "0"
    return (Int(object) ?? 0, Int(file) ?? 0)
}

/// Top-level keys of a JSON object in the order they appear in the text.
func keysInOrder(_ json: String) -> [String] {
    var keys: [String] = []
    var depth = 0
    var index = json.startIndex
    var inString = false
    var current = ""
    var escaped = false
    while index < json.endIndex {
        let character = json[index]
        if inString {
            if escaped { escaped = false; current.append(character) }
            else if character == "\\" { escaped = true }
            else if character == "\"" {
                inString = false
                let next = json[json.index(after: index)...].first { !$0.isWhitespace }
                if depth == 1 && next == ":" { keys.append(current) }
            } else { current.append(character) }
        } else if character == "\"" {
            inString = true
            current = ""
        } else if character == "{" || character == "[" {
            depth += 1
        } else if character == "}" || character == "]" {
            depth -= 1
        }
        index = json.index(after: index)
    }
    return keys
}

extension ISO8601DateFormatter {
    nonisolated(unsafe) static let withFraction: ISO8601DateFormatter = {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }()
}
