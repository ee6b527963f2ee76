import Foundation
import Testing
import TestSupport

/// `GET /files/{file}` (route #13, API-96), identifiers in paths (API-1..6) and the 404 of API-51.
@Suite("files: show and identifiers in paths")
struct FileShowTests {
    /// Creates one file (with its ingest checksums and events) through `POST /files/{obj}`.
    @discardableResult
    static func createFile(_ world: FileTestWorld, _ identifier: String, objectID: Int64, object: String,
                           size: Int64 = 10) throws -> [String: Any] {
        let body = ["generic_file": WorkerBodies.file(identifier, size: size, objectID: objectID, objectIdentifier: object,
                                                      institutionID: world.institutionID)]
        let response = try world.request("POST", "/api/v2/files/\(escaped(object))", json: body)
        #expect(response.status == 201, "\(identifier): \(response.text.prefix(300))")
        return try response.jsonObject()
    }

    @Test("W16: a b'c.txt shown with include_relations; representation fields in order (§8)")
    func showWithRelations() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let created = try Self.createFile(world, "test.edu/bag/data/a b'c.txt", objectID: objectID, object: "test.edu/bag")
        let response = try world.request("GET", "/api/v2/files/test.edu%2Fbag%2Fdata%2Fa%20b%27c.txt?include_relations=true")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        let file = try response.jsonObject()
        #expect(file["id"] as? Int == created["id"] as? Int)
        #expect((file["checksums"] as? [Any])?.count == 2)
        #expect((file["premis_events"] as? [Any])?.count == 6)
        #expect(file["storage_records"] == nil)
        #expect(response.text.hasPrefix(#"{"id":"#))
        let order = ["\"identifier\":", "\"intellectual_object_id\":", "\"intellectual_object_identifier\":\"test.edu/bag\"",
                     "\"institution_id\":", "\"file_format\":", "\"uri\":", "\"size\":10", "\"state\":\"A\"",
                     "\"storage_option\":", "\"last_fixity_check\":", "\"created_at\":", "\"updated_at\":", "\"checksums\":",
                     "\"premis_events\":"]
        let positions = order.map { response.text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(zip(positions, positions.dropFirst()).allSatisfy { $0! < $1! })
        // API-71: checksums by datetime then id; events by date_time then id.
        let plain = try world.request("GET", "/api/v2/files/\(created["id"] as? Int ?? 0)")
        #expect(try plain.jsonObject()["checksums"] == nil)
        let records = try world.request("GET", "/api/v2/files/\(created["id"] as? Int ?? 0)?include_storage_records=true&include_checksums=true")
        let storage = try records.jsonObject()["storage_records"] as? [[String: Any]] ?? []
        #expect(storage.map { $0["kind"] as? String } == ["primary", "replica"])
        #expect(storage[1]["source_event_identifier"] is String)
        #expect(try records.jsonObject()["premis_events"] == nil)
        // Show accepts only its flags (API-45); a flag must be true/false (API-48).
        #expect(try world.request("GET", "/api/v2/files/\(created["id"] as? Int ?? 0)?page=2").status == 400)
        #expect(try world.request("GET", "/api/v2/files/\(created["id"] as? Int ?? 0)?include_events=yes").status == 400)
        // HEAD = GET without a body (API-7); member API (route #13 is M).
        let head = try world.request("HEAD", "/member-api/v2/files/test.edu%2Fbag%2Fdata%2Fa%20b%27c.txt")
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test("API-4/API-50: + retried as a space, %2B never; 404 names the decoded identifier")
    func plusAndNotFound() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        try Self.createFile(world, "test.edu/bag/x y.txt", objectID: objectID, object: "test.edu/bag")
        let plus = try world.request("GET", "/api/v2/files/test.edu%2Fbag%2Fx+y.txt")
        #expect(plus.status == 200)
        #expect(try plus.jsonObject()["identifier"] as? String == "test.edu/bag/x y.txt")
        let encodedPlus = try world.request("GET", "/api/v2/files/test.edu%2Fbag%2Fx%2By.txt")
        #expect(encodedPlus.status == 404)
        #expect(try encodedPlus.jsonObject()["message"] as? String
                == "file not found: test.edu/bag/x+y.txt; check that the identifier was escaped")
        let missing = try world.request("GET", "/api/v2/files/test.edu%2Fbag%2Fdata%2Fa%20b.txt")
        #expect(missing.text == #"{"status":"error","message":"file not found: test.edu/bag/data/a b.txt; check that the identifier was escaped"}"#)
        #expect(try world.request("GET", "/api/v2/files/123456789").status == 404)
        #expect(try world.request("GET", "/api/v2/files/nodot").status == 404)
        #expect(try world.request("GET", "/api/v2/files/test.edu%2Fbag%ZZ").status == 400)  // API-2
    }

    @Test("API-6: unencoded file paths fall back to one identifier for GET only; fixity is a file name")
    func unencodedFallback() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag1")
        try Self.createFile(world, "test.edu/bag1/data/a.txt", objectID: objectID, object: "test.edu/bag1")
        try Self.createFile(world, "test.edu/bag1/data/fixity", objectID: objectID, object: "test.edu/bag1")
        let show = try world.request("GET", "/api/v2/files/test.edu/bag1/data/a.txt")
        #expect(try show.jsonObject()["identifier"] as? String == "test.edu/bag1/data/a.txt")
        let fixity = try world.request("GET", "/api/v2/files/test.edu/bag1/data/fixity/")
        #expect(try fixity.jsonObject()["identifier"] as? String == "test.edu/bag1/data/fixity")
        // The remainder as a list parent (an object), also on the member API.
        let list = try world.request("GET", "/member-api/v2/files/test.edu/bag1?per_page=1")
        #expect(try list.jsonObject()["count"] as? Int == 2)
        #expect(try world.request("GET", "/api/v2/files/test.edu/none/data/a.txt").status == 404)
        // Not for writes: an unencoded PUT path matches no route.
        #expect(try world.request("PUT", "/api/v2/files/test.edu/bag1/data/a.txt", json: ["size": 1]).status == 404)
    }

    @Test("DOM-11/13: identifiers with spaces, +, &, ?, #, %, non-ASCII and 4,096 bytes round-trip")
    func awkwardIdentifiers() throws {
        let world = try FileTestWorld.start()
        let object = "test.edu/bäg #1 & co?"
        let objectID = try world.makeObject(object)
        let long = object + "/" + String(repeating: "deep/", count: 800) + String(repeating: "x", count: 4096 - object.utf8.count - 1 - 4000)
        let names = ["a b.txt", "a+b.txt", "a&b?.txt", "#hash%20.txt", "ünïcødé/文件.txt", "e\u{301}.txt", "é.txt"]
        var ids: [Int] = []
        for name in names + [String(long.dropFirst(object.count + 1))] {
            let identifier = object + "/" + name
            let created = try Self.createFile(world, identifier, objectID: objectID, object: object)
            ids.append(created["id"] as? Int ?? 0)
            let shown = try world.request("GET", "/api/v2/files/\(escaped(identifier))")
            #expect(shown.status == 200)
            #expect(try shown.jsonObject()["identifier"] as? String == identifier)
            // DOM-5: byte equality — the decomposed é and the precomposed é are two files.
            #expect((try shown.jsonObject()["identifier"] as? String)?.utf8.elementsEqual(identifier.utf8) == true)
        }
        #expect(Set(ids).count == names.count + 1)
        #expect(long.utf8.count == 4096)
        let tooLong = ["generic_file": WorkerBodies.file(long + "y", size: 1, objectID: objectID, objectIdentifier: object,
                                                         institutionID: world.institutionID)]
        let refused = try world.request("POST", "/api/v2/files/\(escaped(object))", json: tooLong)
        #expect(try refused.fieldErrors("identifier") == ["is too long"])
        // API-33: slashes and non-ASCII are not escaped in responses.
        let list = try world.request("GET", "/api/v2/files/\(escaped(object))?identifier_like=%C3%BCn")
        #expect(list.text.contains("\"identifier\":\"test.edu/bäg #1 & co?/ünïcødé/文件.txt\""))
    }
}
