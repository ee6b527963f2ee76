import Foundation
import Testing
import TestSupport

/// DOM-13 allows a file identifier of 4,096 bytes, and DOM-12/DOM-6 a bag_name of 65,535. A btree
/// entry holds about 2.7 kB after compression, so identifiers that do not compress (random names,
/// digests in paths) are kept in hash indexes and ordered by a 512-character prefix (migration
/// 0006). These tests use random text, which pglz cannot shrink.
@Suite("Files: identifiers longer than a btree entry")
struct LongIdentifierTests {
    /// `prefix` followed by random letters and digits up to exactly `bytes` UTF-8 bytes.
    static func random(_ prefix: String, bytes: Int) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        var text = prefix
        while text.utf8.count < bytes { text.append(alphabet.randomElement()!) }
        return text
    }

    /// `prefix` followed by random 2-, 3- and 4-byte characters, padded with ASCII to `bytes`.
    static func randomMultibyte(_ prefix: String, bytes: Int) -> String {
        let alphabet: [Character] = ["é", "ß", "ж", "中", "文", "€", "😀", "𝄞"]
        var text = prefix
        while true {
            let next = alphabet.randomElement()!
            if text.utf8.count + String(next).utf8.count > bytes { break }
            text.append(next)
        }
        while text.utf8.count < bytes { text.append("x") }
        return text
    }

    @Test("DOM-13: 4,096-byte random file identifiers are stored, found, listed in byte order and audited")
    func randomFileIdentifiersAtTheLimit() throws {
        let world = try FileTestWorld.start()
        let object = "test.edu/bag"
        let objectID = try world.makeObject(object)
        // Three share a 700-character prefix (past the indexes' 512), so their order is decided
        // after it; the fourth is multi-byte.
        let shared = Self.random(object + "/data/", bytes: 700)
        let identifiers = [
            Self.random(shared + "b", bytes: 4096), Self.random(shared + "a", bytes: 4096),
            Self.random(shared + "c", bytes: 4096), Self.randomMultibyte(object + "/data/", bytes: 4096),
        ]
        for identifier in identifiers {
            #expect(identifier.utf8.count == 4096)
            _ = try FileShowTests.createFile(world, identifier, objectID: objectID, object: object)
            let shown = try world.request("GET", "/api/v2/files/\(escaped(identifier))")
            #expect(shown.status == 200)
            #expect((try shown.jsonObject()["identifier"] as? String)?.utf8.elementsEqual(identifier.utf8) == true)
        }

        // API-95 default sort: identifier byte order, also across pages.
        let expected = identifiers.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let list = try world.request("GET", "/api/v2/files/?intellectual_object_identifier=\(escaped(object))&per_page=10")
        let listed = try list.jsonObject()["results"] as? [[String: Any]] ?? []
        #expect(listed.compactMap { $0["identifier"] as? String } == expected)
        for page in 1...4 {
            let one = try world.request("GET", "/api/v2/files/\(escaped(object))?per_page=1&page=\(page)")
            let results = try one.jsonObject()["results"] as? [[String: Any]] ?? []
            #expect(results.first?["identifier"] as? String == expected[page - 1], "page \(page)")
        }
        // API-71: the object's nested files, by identifier.
        let nested = try world.request("GET", "/api/v2/objects/\(escaped(object))?include_files=true")
        let files = try nested.jsonObject()["generic_files"] as? [[String: Any]] ?? []
        #expect(files.compactMap { $0["identifier"] as? String } == expected, "\(nested.status)")

        // DOM-13: unique — an identical create replays, a different one is taken.
        let again = try world.request("POST", "/api/v2/files/\(escaped(object))", json: ["generic_file": [
            "identifier": identifiers[0], "intellectual_object_id": objectID, "file_format": "text/plain",
            "uri": "https://s3.example/preservation/other", "size": 99, "storage_option": "Standard",
        ]])
        #expect(again.status == 422)
        #expect(try again.fieldErrors("identifier") == ["has already been taken"])
        #expect(try world.scalar("SELECT count(*) FROM generic_files") == "4")

        // AUD-70: the audit log's resource filter finds the file's create.
        let audit = try world.request("GET", "/api/v2/audit/log?resource_identifier=\(escaped(identifiers[3]))")
        #expect(audit.status == 200)
        let rows = try audit.jsonObject()["results"] as? [[String: Any]] ?? []
        #expect(rows.contains { $0["action"] as? String == "file.create" })
    }

    @Test("DOM-75: a work item names a 4,096-byte random file identifier; filtered and resolved")
    func workItemWithLongFileIdentifier() throws {
        let world = try FileTestWorld.start()
        let object = "test.edu/bag"
        let objectID = try world.makeObject(object)
        let identifier = Self.random(object + "/data/", bytes: 4096)
        let file = try FileShowTests.createFile(world, identifier, objectID: objectID, object: object)
        let created = try world.request("POST", "/api/v2/items/", json: [
            "name": "bag.tar", "etag": "e1", "bag_date": "2024-01-01T00:00:00Z", "bucket": "aptrust.receiving.test.edu",
            "user": "system@aptrust.org", "institution_id": world.institutionID, "action": "Fixity Check",
            "stage": "Requested", "status": "Pending", "note": "n", "outcome": "o",
            "object_identifier": object, "generic_file_identifier": identifier,
        ])
        #expect(created.status == 201, "\(created.text.prefix(300))")
        #expect(try created.jsonObject()["generic_file_id"] as? Int == file["id"] as? Int)
        let found = try world.request("GET", "/api/v2/items/?generic_file_identifier=\(escaped(identifier))")
        #expect(try found.jsonObject()["count"] as? Int == 1)
    }

    @Test("API-65: a create that loses the race to a long identifier's hash-backed key answers as a replay")
    func lostRaceOnExclusionConstraint() throws {
        let world = try FileTestWorld.start()
        let object = "test.edu/bag"
        let objectID = try world.makeObject(object)
        let identifier = Self.random(object + "/data/", bytes: 4096)
        // Another session inserts the same file and holds it uncommitted: the server's insert waits
        // on the exclusion constraint, then fails with 23P01 when that session commits.
        let blocker = try world.registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size, state, storage_option, last_fixity_check)
            VALUES ($1, $2, $3, $4, 'text/plain', 'https://s3.example/preservation/raced', 5, 'A', 'Standard',
                    '2000-01-01T00:00:00Z')
            """, [identifier, String(objectID), object, String(world.institutionID)])
        let body = String(decoding: FileTestWorld.encode(["generic_file": [
            "identifier": identifier, "intellectual_object_id": objectID, "file_format": "text/plain",
            "uri": "https://s3.example/preservation/raced", "size": 5, "storage_option": "Standard",
        ]]), as: UTF8.self)
        let client = try world.registry.client(receiveTimeout: 30)
        try client.send("POST /api/v2/files/\(escaped(object)) HTTP/1.1\r\nHost: t\r\n"
                        + world.admin.headers.map { "\($0.name): \($0.value)\r\n" }.joined()
                        + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        let watcher = try world.registry.sql()
        var waited = false
        let deadline = Date().addingTimeInterval(10)
        while !waited && Date() < deadline {
            waited = try watcher.scalar("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                """) != "0"
            if !waited { usleep(20_000) }
        }
        #expect(waited, "the create never waited for the other session's row")
        try blocker.query("COMMIT")

        let response = try client.readResponse()
        #expect(response.status == 201, "\(response.text.prefix(300))")
        #expect(response.headers["Idempotent-Replayed"] == "true")
        #expect(try world.scalar("SELECT count(*) FROM generic_files") == "1")
    }

    @Test("DOM-12: a random bag_name of 5,000 bytes is stored; sort=name orders past its first 512 characters")
    func longRandomBagNames() throws {
        let world = try FileTestWorld.start()
        let shared = Self.random("", bytes: 600)
        let names = [Self.random(shared + "z", bytes: 5000), Self.random(shared + "m", bytes: 5000), "aaa.tar"]
        for (index, name) in names.enumerated() {
            let created = try world.request("POST", "/api/v2/objects/test.edu", json: [
                "identifier": "test.edu/long-\(index)", "title": "T", "access": "institution", "bag_name": name,
            ])
            #expect(created.status == 201, "\(created.text.prefix(300))")
            #expect(try created.jsonObject()["bag_name"] as? String == name)
        }
        let sorted = try world.request("GET", "/api/v2/objects/?institution=test.edu&sort=name")
        let listed = try sorted.jsonObject()["results"] as? [[String: Any]] ?? []
        #expect(listed.compactMap { $0["bag_name"] as? String } == names.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        let filtered = try world.request("GET", "/api/v2/objects/?bag_name=\(escaped(names[0]))")
        #expect(try filtered.jsonObject()["count"] as? Int == 1)
    }
}
