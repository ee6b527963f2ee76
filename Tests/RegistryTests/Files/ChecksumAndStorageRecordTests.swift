import Foundation
import Testing
import TestSupport

/// `/checksums` (routes #22–#24, §10.4) and `/storage_records` (route #30).
@Suite("checksums and storage records")
struct ChecksumAndStorageRecordTests {
    @Test("W15: the worker's store-step lookup of an unknown file is 200 with count 0")
    func unknownFileChecksums() throws {
        let world = try FileTestWorld.start()
        let response = try world.request(
            "GET", "/api/v2/checksums/?algorithm=sha256&generic_file_identifier=test.edu%2Fbag%2Fdata%2Fnew.txt&sort=datetime+DESC")
        #expect(response.status == 200)
        #expect(try response.jsonObject()["count"] as? Int == 0)
        #expect(try response.results().isEmpty)
    }

    @Test("§10.4: create (DOM-17), replay (API-60), conflict, show, list filters and sorts; DOM-80 405")
    func createListShow() throws {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let file = try FileShowTests.createFile(world, "test.edu/bag/data/x y.txt", objectID: objectID, object: "test.edu/bag")
        let fileID = file["id"] as? Int ?? 0
        let body: [String: Any] = ["checksum": ["algorithm": "sha512", "datetime": "2025-05-05T05:05:05.123456789Z",
                                                "digest": String(repeating: "AB", count: 64), "generic_file_id": fileID]]
        // [Compat] API-4: the checksum-create worker call uses form escaping (space as +).
        let created = try world.request("POST", "/api/v2/checksums/test.edu%2Fbag%2Fdata%2Fx+y.txt", json: body)
        #expect(created.status == 201, "\(created.text)")
        let checksum = try created.jsonObject()
        #expect(checksum["digest"] as? String == String(repeating: "ab", count: 64))
        #expect(checksum["datetime"] as? String == "2025-05-05T05:05:05.123456Z")
        #expect(checksum["generic_file_identifier"] as? String == "test.edu/bag/data/x y.txt")
        #expect(checksum["updated_at"] as? String == checksum["created_at"] as? String)
        #expect(created.text.hasPrefix(#"{"id":"#))
        #expect(created.text.contains(#""generic_file_id":\#(fileID),"generic_file_identifier""#))
        let replay = try world.request("POST", "/api/v2/checksums/\(fileID)", json: body)
        #expect(replay.status == 201 && replay.headers["Idempotent-Replayed"] == "true")
        #expect(try replay.jsonObject()["id"] as? Int == checksum["id"] as? Int)
        var other = body["checksum"] as! [String: Any]
        other["digest"] = String(repeating: "cd", count: 64)
        let conflict = try world.request("POST", "/api/v2/checksums/\(fileID)", json: other)
        #expect(conflict.status == 422)
        #expect(try conflict.jsonObject()["errors"] as? [String: [String]] == ["datetime": ["has already been taken"]])
        other["generic_file_id"] = fileID + 1
        other["digest"] = "12"
        let invalid = try world.request("POST", "/api/v2/checksums/\(fileID)", json: other)
        #expect(try invalid.fieldErrors("generic_file_id") == ["does not match the file"])
        #expect(try invalid.fieldErrors("digest") == ["must be 128 hexadecimal characters for sha512"])
        #expect(try world.request("POST", "/api/v2/checksums/test.edu%2Fbag%2Fnone", json: body).status == 404)
        #expect(try world.scalar("SELECT count(*) FROM audit_log WHERE action = 'checksum.create'") == "2")
        #expect(try world.scalar("SELECT details::text FROM audit_log WHERE action = 'checksum.create' ORDER BY id DESC LIMIT 1")
                == #"{"replayed": true}"#)

        let id = checksum["id"] as? Int ?? 0
        let shown = try world.request("GET", "/member-api/v2/checksums/\(id)/")
        #expect(shown.status == 200)
        #expect(try shown.jsonObject()["id"] as? Int == id)
        #expect(try world.request("GET", "/api/v2/checksums/999999").text
                == #"{"status":"error","message":"checksum not found: 999999"}"#)
        for method in ["PUT", "PATCH", "DELETE"] {
            let refused = try world.request(method, "/api/v2/checksums/\(id)", json: [:] as [String: Any])
            #expect(refused.status == 405, "\(method)")
            #expect(refused.headers["Allow"] == "GET, HEAD, POST")
        }

        func digests(_ query: String) throws -> [String] {
            let response = try world.request("GET", "/api/v2/checksums?\(query)")
            #expect(response.status == 200, "\(query): \(response.text)")
            return try response.results().map { String(($0["algorithm"] as? String) ?? "") }
        }
        #expect(try digests("generic_file_identifier=test.edu%2Fbag%2Fdata%2Fx%20y.txt") == ["sha512", "sha256", "md5"])  // ties by id DESC
        #expect(try digests("generic_file_id=\(fileID)&sort=datetime+ASC") == ["md5", "sha256", "sha512"])
        #expect(try digests("algorithm=sha256&generic_file_identifier=test.edu%2Fbag%2Fdata%2Fx+y.txt&sort=datetime+DESC") == ["sha256"])
        #expect(try digests("digest=\(String(repeating: "AB", count: 64))") == ["sha512"])
        #expect(try digests("datetime_after=2025-01-01&institution=test.edu") == ["sha512"])
        #expect(try digests("datetime_before=2025-01-01&institution=other.edu") == [])
        #expect(try world.request("GET", "/api/v2/checksums?sort=digest").status == 400)
        #expect(try world.request("GET", "/api/v2/checksums?algorithm=crc32").status == 400)
        // API-45: an unparsable id is a 400 even beside a filter that names no file.
        let badID = try world.request("GET", "/api/v2/checksums?generic_file_identifier=test.edu%2Fnone&generic_file_id=x")
        #expect(badID.status == 400 && badID.message == "invalid integer for generic_file_id: x")
    }

    @Test("DOM-93/94/95: checksum and storage record visibility follows the object")
    func visibility() throws {
        let world = try FileTestWorld.start()
        try world.registry.makeInstitution("other.edu")
        let stranger = try world.registry.makeUser("u@other.edu", role: "institutional_user", institution: "other.edu")
        let ownUser = try world.registry.makeUser("u@test.edu", role: "institutional_user", institution: "test.edu")
        var files: [String: Int] = [:]
        for (object, access) in [("test.edu/open", "consortia"), ("test.edu/inst", "institution"), ("test.edu/secret", "restricted")] {
            let id = try world.makeObject(object, access: access)
            files[access] = try FileShowTests.createFile(world, object + "/f", objectID: id, object: object)["id"] as? Int
        }
        func count(_ path: String, _ caller: TestRegistry.Credentials) throws -> Int {
            let response = try world.request("GET", path, as: caller)
            #expect(response.status == 200, "\(path)")
            return try response.jsonObject()["count"] as? Int ?? -1
        }
        #expect(try count("/api/v2/checksums", world.admin) == 6)
        #expect(try count("/api/v2/checksums", ownUser) == 4)
        #expect(try count("/api/v2/checksums", stranger) == 0)
        #expect(try count("/api/v2/checksums?generic_file_id=\(files["consortia"]!)", stranger) == 2)
        // Another institution named in `institution` is an unknown one, visible parent or not (DOM-93).
        #expect(try count("/api/v2/checksums?generic_file_id=\(files["consortia"]!)&institution=test.edu", stranger) == 0)
        #expect(try count("/api/v2/checksums?generic_file_id=\(files["consortia"]!)&institution=test.edu", world.admin) == 2)
        #expect(try count("/api/v2/checksums?institution=test.edu", ownUser) == 4)
        #expect(try count("/api/v2/checksums?generic_file_id=\(files["institution"]!)", stranger) == 0)
        #expect(try count("/api/v2/checksums?generic_file_identifier=test.edu%2Fsecret%2Ff", ownUser) == 0)
        #expect(try count("/api/v2/storage_records", world.admin) == 6)
        #expect(try count("/api/v2/storage_records?current=true&kind=replica", ownUser) == 2)
        #expect(try count("/member-api/v2/storage_records?generic_file_identifier=test.edu%2Fopen%2Ff", stranger) == 2)
        #expect(try count("/api/v2/storage_records?generic_file_identifier=test.edu%2Finst%2Ff", stranger) == 0)
        #expect(try count("/api/v2/storage_records?current=false", world.admin) == 0)
        let checksumID = try world.scalar("SELECT min(id) FROM checksums WHERE generic_file_id = \(files["institution"]!)") ?? ""
        #expect(try world.request("GET", "/api/v2/checksums/\(checksumID)", as: stranger).status == 404)
        #expect(try world.request("GET", "/api/v2/checksums/\(checksumID)", as: ownUser).status == 200)
        #expect(try world.request("POST", "/api/v2/checksums/\(files["consortia"]!)", json: ["algorithm": "md5"], as: stranger).status == 403)
        #expect(try world.request("GET", "/api/v2/storage_records?current=maybe").status == 400)
        // Route #30 lists no sort values (API-46): even `id`, its order, is not one, nor an empty one.
        for sort in ["url", "id", ""] {
            #expect(try world.request("GET", "/api/v2/storage_records?sort=\(sort)").status == 400, "\(sort)")
        }
    }
}
