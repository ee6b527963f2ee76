import Foundation
import Testing
import TestSupport

/// `GET /files`, `/files/{inst}`, `/files/{obj}` (route #12, API-95, API-40..49).
@Suite("files: lists")
struct FileListTests {
    /// Three active files with different fixity dates, sizes and formats, one deleted file, and a
    /// Glacier file: the fixity queue's world (domain.md §8.3).
    static func fixityWorld() throws -> (FileTestWorld, objectID: Int64) {
        let world = try FileTestWorld.start()
        let objectID = try world.makeObject("test.edu/bag")
        let glacierID = try world.makeObject("test.edu/cold", storageOption: "Glacier-OH")
        for (name, checked, size) in [("b.txt", "2023-06-01T00:00:00Z", 20), ("a.txt", "2023-01-01T00:00:00Z", 10),
                                      ("c.pdf", "2023-09-01T00:00:00Z", 30), ("new.txt", "2024-06-01T00:00:00Z", 5)] {
            var file = WorkerBodies.file("test.edu/bag/data/\(name)", size: Int64(size), objectID: objectID,
                                         objectIdentifier: "test.edu/bag", institutionID: world.institutionID, checkedAt: checked)
            if name.hasSuffix(".pdf") { file["file_format"] = "application/pdf" }
            #expect(try world.request("POST", "/api/v2/files/test.edu%2Fbag", json: file).status == 201)
        }
        let cold = WorkerBodies.file("test.edu/cold/data/z.txt", size: 1, objectID: glacierID,
                                     objectIdentifier: "test.edu/cold", institutionID: world.institutionID,
                                     checkedAt: "2022-01-01T00:00:00Z")
        #expect(try world.request("POST", "/api/v2/files/test.edu%2Fcold", json: cold).status == 201)
        _ = try world.sql("UPDATE generic_files SET state = 'D' WHERE identifier = 'test.edu/bag/data/new.txt'")
        return (world, objectID)
    }

    static func identifiers(_ response: TestHTTPResponse) throws -> [String] {
        try response.results().compactMap { $0["identifier"] as? String }
    }

    @Test("W18/API-42: the fixity queue lists the oldest check first and next keeps every filter")
    func fixityQueue() throws {
        let (world, _) = try Self.fixityWorld()
        let path = "/api/v2/files/?not_checked_since=2024-01-01T00:00:00Z&storage_option=Standard&sort=last_fixity_check&per_page=2"
        let first = try world.request("GET", path)
        #expect(first.status == 200)
        #expect(try first.jsonObject()["count"] as? Int == 3)
        #expect(try Self.identifiers(first) == ["test.edu/bag/data/a.txt", "test.edu/bag/data/b.txt"])
        let next = try first.jsonObject()["next"] as? String ?? ""
        #expect(next.hasSuffix("/api/v2/files/?not_checked_since=2024-01-01T00:00:00Z&storage_option=Standard&sort=last_fixity_check&page=2&per_page=2"))
        #expect(next.hasPrefix("http://"))
        #expect(try first.jsonObject()["previous"] is NSNull)
        let second = try world.request("GET", String(next[next.range(of: "/api/v2")!.lowerBound...]))
        #expect(try Self.identifiers(second) == ["test.edu/bag/data/c.pdf"])
        #expect(try second.jsonObject()["next"] is NSNull)
        #expect((try second.jsonObject()["previous"] as? String)?.hasSuffix("&page=1&per_page=2") == true)
        // The worker's exact W18 shape, page=1 in the middle.
        let worker = try world.request("GET", "/api/v2/files/?not_checked_since=2024-01-01T00:00:00Z&per_page=100&storage_option=Standard&page=1&sort=last_fixity_check")
        #expect(try Self.identifiers(worker).count == 3)
        // Past the end: results [] and next null (API-43).
        let past = try world.request("GET", path + "&page=9")
        #expect(try past.results().isEmpty)
        #expect(try past.jsonObject()["next"] is NSNull)
    }

    @Test("API-95: filters, state default A, repeatable storage_option, sorts and their id tiebreak")
    func filtersAndSorts() throws {
        let (world, objectID) = try Self.fixityWorld()
        func ids(_ query: String) throws -> [String] {
            let response = try world.request("GET", "/api/v2/files?\(query)")
            #expect(response.status == 200, "\(query): \(response.text)")
            return try Self.identifiers(response).map { String($0.split(separator: "/").last!) }
        }
        #expect(try ids("") == ["a.txt", "b.txt", "c.pdf", "z.txt"])
        #expect(try ids("state=D") == ["new.txt"])
        #expect(try ids("state=all&sort=size") == ["c.pdf", "b.txt", "a.txt", "new.txt", "z.txt"])
        #expect(try ids("state=A&state=D&identifier_like=NEW") == ["new.txt"])
        #expect(try ids("storage_option=Glacier-OH&storage_option=Standard&file_format=application%2Fpdf") == ["c.pdf"])
        #expect(try ids("storage_option=Glacier-OH") == ["z.txt"])
        #expect(try ids("identifier=test.edu%2Fbag%2Fdata%2Fb.txt") == ["b.txt"])
        #expect(try ids("uri_like=s3.example&intellectual_object_id=\(objectID)&sort=date").count == 3)
        #expect(try ids("object_identifier=test.edu%2Fbag&sort=name") == ["a.txt", "b.txt", "c.pdf"])
        #expect(try ids("intellectual_object_identifier=test.edu%2Fnone") == [])
        #expect(try ids("institution=test.edu&institution=other.edu&sort=institution").count == 4)
        #expect(try ids("institution=unknown.edu") == [])
        #expect(try ids("created_after=2000-01-01&created_before=2000-01-02") == [])
        // DOM-3: the Go zero time is an absent filter.
        #expect(try ids("created_before=0001-01-01T00:00:00Z").count == 4)
        #expect(try ids("updated_after=2000-01-01&not_checked_since=2023-02-01") == ["a.txt", "z.txt"])
        #expect(try ids("identifier_like=%25") .count == 4)  // [Compat] `%` alone = no filter
        // API-47: `%` is literal even when a combining mark follows it (one Character, two scalars).
        #expect(try ids("identifier_like=%25%CC%81") == [])
        #expect(try ids("identifier_like=_%CC%81") == [])
        // The path forms: institution and object parents.
        #expect(try Self.identifiers(world.request("GET", "/api/v2/files/test.edu?sort=date&count=false")).count == 4)
        let counted = try world.request("GET", "/api/v2/files/test.edu%2Fcold/?count=false")
        #expect(try counted.jsonObject()["count"] is NSNull)
        #expect(try world.request("GET", "/api/v2/files/other.edu").status == 404)
        #expect(try world.request("GET", "/api/v2/files/test.edu%2Fnone").text
                == #"{"status":"error","message":"object not found: test.edu/none"}"#)
        // API-45 / API-45a / API-46 / API-48 refusals.
        for (query, message) in [("nope=1", "unknown query parameter: nope"), ("sort=size&sort=date", "parameter may not repeat: sort"),
                                 ("identifier_like=a&identifier_like=b", "parameter may not repeat: identifier_like"),
                                 ("intellectual_object_identifier=a&object_identifier=b",
                                  "parameter may not repeat: object_identifier"),
                                 ("sort=bogus", "invalid sort: bogus"), ("state=X", "invalid value for state: X"),
                                 ("storage_option=Cold", "invalid value for storage_option: Cold"),
                                 ("not_checked_since=yesterday", "invalid date for not_checked_since: yesterday"),
                                 ("include_checksums=1", "invalid boolean for include_checksums: 1"),
                                 ("per_page=0", "per_page must be between 1 and 1000"),
                                 // Unparsable ids are 400s even beside a filter that names nothing.
                                 ("object_identifier=test.edu%2Fnone&intellectual_object_id=abc",
                                  "invalid integer for intellectual_object_id: abc")] {
            let response = try world.request("GET", "/api/v2/files?\(query)")
            let text = try response.jsonObject()["message"] as? String
            #expect(response.status == 400 && text == message, "\(query)")
        }
    }

    @Test("API-96 in lists: nested lists per file with one query per level")
    func listIncludes() throws {
        let (world, _) = try Self.fixityWorld()
        let response = try world.request("GET", "/api/v2/files/test.edu%2Fbag?include_relations=true&include_storage_records=true")
        let results = try response.results()
        #expect(results.count == 3)
        for file in results {
            let checksums = file["checksums"] as? [[String: Any]] ?? []
            #expect(checksums.count == 2 && checksums.allSatisfy { $0["generic_file_id"] as? Int == file["id"] as? Int })
            let events = file["premis_events"] as? [[String: Any]] ?? []
            #expect(events.count == 6 && events.allSatisfy { $0["generic_file_identifier"] as? String == file["identifier"] as? String })
            #expect((file["storage_records"] as? [Any])?.count == 2)
        }
    }

    @Test("DOM-93/94/96a: tenant scoping, restricted objects, and another institution's consortia parent")
    func tenantScoping() throws {
        let world = try FileTestWorld.start()
        try world.registry.makeInstitution("other.edu")
        let ownUser = try world.registry.makeUser("u@test.edu", role: "institutional_user", institution: "test.edu")
        let ownAdmin = try world.registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
        let stranger = try world.registry.makeUser("u@other.edu", role: "institutional_admin", institution: "other.edu")
        for (object, access) in [("test.edu/open", "consortia"), ("test.edu/inst", "institution"), ("test.edu/secret", "restricted")] {
            let id = try world.makeObject(object, access: access)
            try FileShowTests.createFile(world, object + "/data/f.txt", objectID: id, object: object)
        }
        func listed(_ path: String, as caller: TestRegistry.Credentials) throws -> [String] {
            let response = try world.request("GET", path, as: caller)
            #expect(response.status == 200, "\(path): \(response.text)")
            return try FileListTests.identifiers(response)
        }
        #expect(try listed("/api/v2/files", as: ownUser) == ["test.edu/inst/data/f.txt", "test.edu/open/data/f.txt"])
        #expect(try listed("/api/v2/files", as: ownAdmin).count == 3)
        #expect(try listed("/api/v2/files", as: stranger) == [])
        #expect(try listed("/api/v2/files?institution=test.edu", as: stranger) == [])
        // A consortia object of another institution is browsable through its own list (DOM-94)…
        #expect(try listed("/api/v2/files/test.edu%2Fopen", as: stranger) == ["test.edu/open/data/f.txt"])
        #expect(try listed("/api/v2/files?intellectual_object_identifier=test.edu%2Fopen", as: stranger).count == 1)
        // …but an `institution` filter naming the other institution is still an unknown one (DOM-93).
        #expect(try listed("/api/v2/files?intellectual_object_identifier=test.edu%2Fopen&institution=test.edu", as: stranger) == [])
        #expect(try listed("/api/v2/files/test.edu%2Fopen?institution=other.edu", as: stranger) == [])
        #expect(try listed("/api/v2/files?object_identifier=test.edu%2Fopen&institution=test.edu", as: world.admin).count == 1)
        #expect(try world.request("GET", "/api/v2/files/test.edu%2Fopen%2Fdata%2Ff.txt", as: stranger).status == 200)
        // …an institution-level one answers exactly like a missing one (DOM-96a).
        let hidden = try world.request("GET", "/api/v2/files/test.edu%2Finst%2Fdata%2Ff.txt", as: stranger)
        let missing = try world.request("GET", "/api/v2/files/test.edu%2Finst%2Fdata%2Fg.txt", as: stranger)
        #expect(hidden.status == 404 && missing.status == 404)
        #expect(hidden.text.replacingOccurrences(of: "f.txt", with: "g.txt") == missing.text)
        #expect(try world.request("GET", "/api/v2/files/test.edu%2Finst", as: stranger).status == 404)
        #expect(try world.request("GET", "/api/v2/files/test.edu", as: stranger).status == 404)
        #expect(try listed("/api/v2/files?object_identifier=test.edu%2Finst", as: stranger) == [])
        // Restricted: hidden from the inst user in lists and shows, visible to the inst admin.
        #expect(try world.request("GET", "/api/v2/files/test.edu%2Fsecret%2Fdata%2Ff.txt", as: ownUser).status == 404)
        #expect(try world.request("GET", "/api/v2/files/test.edu%2Fsecret%2Fdata%2Ff.txt", as: ownAdmin).status == 200)
        #expect(try listed("/api/v2/files/test.edu%2Fsecret", as: ownAdmin).count == 1)
        // Writes are admin-only: 403 for a visible file, 404 for an invisible one (DOM-96b).
        #expect(try world.request("PUT", "/api/v2/files/test.edu%2Fopen%2Fdata%2Ff.txt", json: ["size": 1], as: ownAdmin).status == 403)
        #expect(try world.request("PUT", "/api/v2/files/test.edu%2Finst%2Fdata%2Ff.txt", json: ["size": 1], as: stranger).status == 404)
        #expect(try world.request("POST", "/api/v2/files", json: ["identifier": "x"], as: ownAdmin).status == 403)
    }
}
