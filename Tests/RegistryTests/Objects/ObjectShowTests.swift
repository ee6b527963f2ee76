import Foundation
import Testing
import TestSupport

/// `GET /api/v2/objects/{obj}` (route #4): identifiers, escaping, visibility.
@Suite("objects: show")
struct ObjectShowTests {
    @Test("W8: a missing object is a 404 naming the decoded identifier")
    func missingObject() throws {
        let world = try ObjectWorld()
        let response = try world.get("/api/v2/objects/test.edu%2Fbag")
        #expect(response.status == 404)
        #expect(response.text == #"{"status":"error","message":"object not found: test.edu/bag"}"#)
    }

    @Test("API-31, §8: every field in order; by identifier, by numeric id, with a trailing slash, member API, HEAD")
    func representation() throws {
        let world = try ObjectWorld()
        let created = try world.createObject("test.edu/bag", extra: ["etag": "e1"])
        let id = try #require(created["id"] as? Int)
        let response = try world.get("/api/v2/objects/test.edu%2Fbag")
        #expect(response.status == 200)
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        #expect(response.headers["Cache-Control"] == "no-store")
        let fields = ["id", "identifier", "bag_name", "title", "description", "alt_identifier", "access", "institution",
                      "institution_id", "state", "etag", "bag_group_identifier", "storage_option",
                      "bagit_profile_identifier", "source_organization", "internal_sender_identifier",
                      "internal_sender_description", "file_count", "file_size", "created_at", "updated_at"]
        #expect(try topLevelKeys(response.text) == fields)
        #expect(try response.jsonObject()["etag"] as? String == "e1")
        #expect(try response.jsonObject()["alt_identifier"] is NSNull)

        for path in ["/api/v2/objects/\(id)", "/api/v2/objects/\(id)/", "/api/v2/objects/test.edu%2fbag/",
                     "/member-api/v2/objects/test.edu%2Fbag"] {
            let other = try world.get(path)
            #expect(other.status == 200, "\(path)")
            #expect(other.text == response.text, "\(path)")
        }
        let head = try world.client().request(method: "HEAD", path: "/api/v2/objects/test.edu%2Fbag",
                                               headers: world.admin.headers)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(try world.get("/api/v2/objects/\(id + 1000)").message == "object not found: \(id + 1000)")
    }

    @Test("DOM-11, API-1: identifiers with space, +, &, ?, #, %, ', non-ASCII and 1024 bytes round-trip")
    func unusualIdentifiers() throws {
        let world = try ObjectWorld()
        let identifiers = ["test.edu/my bag", "test.edu/a+b", "test.edu/a&b=c", "test.edu/what?", "test.edu/#hash",
                           "test.edu/100%", "test.edu/it's (1) [x]", "test.edu/caf\u{E9} \u{1F4E6}",
                           "test.edu/" + String(repeating: "\u{E9}", count: 507) + "x"]
        for identifier in identifiers {
            #expect(identifier.utf8.count <= 1024)
            let created = try world.createObject(identifier)
            #expect(created["identifier"] as? String == identifier)
            let shown = try world.get("/api/v2/objects/\(escape(identifier))")
            #expect(shown.status == 200, "\(identifier)")
            #expect(try shown.jsonObject()["identifier"] as? String == identifier)
        }
        #expect(try world.get("/api/v2/objects/\(escape(identifiers[2]))?include_files=false").status == 200)
    }

    @Test("API-4: a literal + is tried as +, then as a space; %2B is always +")
    func plusRetry() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/x y", title: "with space")
        #expect(try world.get("/api/v2/objects/test.edu%2Fx+y").jsonObject()["title"] as? String == "with space")
        let encodedPlus = try world.get("/api/v2/objects/test.edu%2Fx%2By")
        #expect(encodedPlus.status == 404)
        #expect(encodedPlus.message == "object not found: test.edu/x+y")
        // When both exist the literal reading wins.
        try world.createObject("test.edu/x+y", title: "with plus")
        #expect(try world.get("/api/v2/objects/test.edu%2Fx+y").jsonObject()["title"] as? String == "with plus")
        // The retry applies to updates too.
        let update = try world.send("PUT", "/api/v2/objects/test.edu%2Fx+z", as: world.admin, json: ["title": "t"])
        #expect(update.status == 404)
        #expect(update.message == "object not found: test.edu/x+z")
    }

    @Test("API-6: unescaped object paths fall back to show for GET/HEAD only; API-5: other kinds are 404")
    func unescapedFallbackAndKinds() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag 1")
        for path in ["/api/v2/objects/test.edu/bag%201", "/api/v2/objects/test.edu/bag%201/",
                     "/member-api/v2/objects/test.edu/bag%201", "/api/v2/objects/test.edu/bag+1"] {
            let response = try world.get(path)
            #expect(response.status == 200, "\(path)")
            #expect(try response.jsonObject()["identifier"] as? String == "test.edu/bag 1")
        }
        let head = try world.client().request(method: "HEAD", path: "/api/v2/objects/test.edu/bag%201",
                                               headers: world.admin.headers)
        #expect(head.status == 200)
        let post = try world.send("POST", "/api/v2/objects/test.edu/bag%201", as: world.admin, json: ["title": "t"])
        #expect(post.status == 404)
        // A file identifier (two slashes), a UUID or a word without a dot names no object.
        for (path, name) in [("/api/v2/objects/test.edu%2Fbag%201%2Fdata%2Fa.txt", "test.edu/bag 1/data/a.txt"),
                             ("/api/v2/objects/test.edu/bag%201/data/a.txt", "test.edu/bag 1/data/a.txt"),
                             ("/api/v2/objects/6f1d2c3b-0a4e-4c5d-8e9f-0123456789ab", "6f1d2c3b-0a4e-4c5d-8e9f-0123456789ab"),
                             ("/api/v2/objects/nodot", "nodot")] {
            let response = try world.get(path)
            #expect(response.status == 404, "\(path)")
            #expect(response.message == "object not found: \(name)", "\(path)")
        }
        // API-2: invalid UTF-8 or NUL in the decoded identifier is a 400.
        #expect(try world.get("/api/v2/objects/test.edu%2F%FF").status == 400)
        #expect(try world.get("/api/v2/objects/test.edu%2F%00").status == 400)
    }

    @Test("DOM-90..96a: show rule per role; invisible is answered exactly like missing")
    func visibility() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/restricted", access: "restricted")
        try world.createObject("test.edu/institution", access: "institution")
        try world.createObject("other.edu/consortia", access: "consortia")
        try world.createObject("other.edu/institution", access: "institution")
        try world.createObject("other.edu/restricted", access: "restricted")

        func status(_ identifier: String, _ caller: TestRegistry.Credentials) throws -> Int {
            try world.get("/api/v2/objects/\(escape(identifier))", as: caller).status
        }
        #expect(try status("test.edu/restricted", world.instAdmin) == 200)
        #expect(try status("test.edu/restricted", world.instUser) == 404)
        #expect(try status("test.edu/institution", world.instUser) == 200)
        #expect(try status("other.edu/consortia", world.instUser) == 200)
        #expect(try status("other.edu/institution", world.instAdmin) == 404)
        #expect(try status("other.edu/restricted", world.admin) == 200)
        #expect(try status("test.edu/institution", world.otherAdmin) == 404)

        let invisible = try world.get("/api/v2/objects/other.edu%2Finstitution", as: world.instAdmin)
        let missing = try world.get("/api/v2/objects/other.edu%2Fnothing", as: world.instAdmin)
        #expect(invisible.status == missing.status)
        #expect(invisible.text.replacingOccurrences(of: "institution", with: "X")
                == missing.text.replacingOccurrences(of: "nothing", with: "X"))
        #expect(invisible.headers.fields.map(\.name) == missing.headers.fields.map(\.name))
        // A restricted object is invisible to an inst user, also by id and through the member API.
        let id = try #require(try world.get("/api/v2/objects/test.edu%2Frestricted").jsonObject()["id"] as? Int)
        #expect(try world.get("/api/v2/objects/\(id)", as: world.instUser).status == 404)
        #expect(try world.get("/member-api/v2/objects/test.edu%2Frestricted", as: world.instUser).status == 404)
    }

    @Test("OPS-67: member-API reads may use the replica and say so; /api/v2 reads never do")
    func readSource() throws {
        let world = try ObjectWorld(sameDatabaseAsReplica: true)
        try world.createObject("test.edu/bag")
        for path in ["/member-api/v2/objects/test.edu%2Fbag", "/member-api/v2/objects/test.edu%2Fbag?include_files=true",
                     "/member-api/v2/objects", "/member-api/v2/objects/test.edu"] {
            let response = try world.get(path)
            #expect(response.status == 200, "\(path)")
            #expect(response.headers["X-Read-Source"] == "replica", "\(path)")
        }
        for path in ["/api/v2/objects/test.edu%2Fbag", "/api/v2/objects/test.edu%2Fbag?include_files=true",
                     "/api/v2/objects", "/api/v2/objects/test.edu"] {
            let response = try world.get(path)
            #expect(response.status == 200, "\(path)")
            #expect(response.headers["X-Read-Source"] == nil, "\(path)")
        }
    }

    @Test("API-45, API-48: show accepts only the include flags, once each, as true/false")
    func showQueryParameters() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag")
        let unknown = try world.get("/api/v2/objects/test.edu%2Fbag?state=A")
        #expect(unknown.status == 400)
        #expect(unknown.message == "unknown query parameter: state")
        let repeated = try world.get("/api/v2/objects/test.edu%2Fbag?include_files=true&include_files=true")
        #expect(repeated.status == 400)
        #expect(repeated.message == "parameter may not repeat: include_files")
        let invalid = try world.get("/api/v2/objects/test.edu%2Fbag?include_events=yes")
        #expect(invalid.status == 400)
        #expect(invalid.message?.contains("include_events") == true)
        // The 404 of an invisible record comes before query validation (DOM-96b).
        #expect(try world.get("/api/v2/objects/test.edu%2Fnone?bogus=1").status == 404)
    }
}

/// The keys of the top-level JSON object of `text`, in order (JSONSerialization loses the order).
func topLevelKeys(_ text: String) throws -> [String] {
    var keys: [String] = []
    var depth = 0
    var inString = false
    var escaped = false
    var current = ""
    var expectingKey = false
    var readingKey = false
    for character in text {
        if inString {
            if escaped { escaped = false; if readingKey { current.append(character) }; continue }
            if character == "\\" { escaped = true; continue }
            if character == "\"" {
                inString = false
                if readingKey { keys.append(current); readingKey = false }
                continue
            }
            if readingKey { current.append(character) }
            continue
        }
        switch character {
        case "\"":
            inString = true
            if depth == 1 && expectingKey { readingKey = true; current = ""; expectingKey = false }
        case "{", "[":
            depth += 1
            if depth == 1 { expectingKey = true }
        case "}", "]": depth -= 1
        case ",": if depth == 1 { expectingKey = true }
        default: break
        }
    }
    return keys
}
