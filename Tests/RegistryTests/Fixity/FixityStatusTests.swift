import Foundation
import Testing
import TestSupport

/// Fixity status (auditor.md AUD-30, AUD-31; api-v2.md routes #21, #62).
@Suite("Fixity status")
struct FixityStatusTests {
    /// test.edu: `test.edu/bag` (institution) with `a.txt`, `old.txt`, `older.txt`, `recent.txt` and a
    /// deleted `gone.txt`; `test.edu/secret` (restricted) with `s.txt`; example.org:
    /// `example.org/shared` (consortia) with `x.txt`, `example.org/private` with `p.txt`.
    struct World {
        let registry: TestRegistry
        let admin: TestRegistry.Credentials
        let instAdmin: TestRegistry.Credentials
        let user: TestRegistry.Credentials
        let outsider: TestRegistry.Credentials

        init() throws {
            registry = try TestRegistry.start()
            for institution in ["aptrust.org", "test.edu", "example.org"] { try registry.makeInstitution(institution) }
            admin = try registry.makeUser("admin@aptrust.org", role: "admin", institution: "aptrust.org")
            instAdmin = try registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
            user = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
            outsider = try registry.makeUser("user@example.org", role: "institutional_user", institution: "example.org")
            for (object, access) in [("test.edu/bag", "institution"), ("test.edu/secret", "restricted"),
                                     ("example.org/shared", "consortia"), ("example.org/private", "institution")] {
                try registry.makeObject(object, access: access)
            }
            // Days since the last check, measured from now; a few hours more so the floor is exact.
            let files: [(String, Int?)] = [
                ("test.edu/bag/data/a.txt", nil), ("test.edu/bag/data/old.txt", 100), ("test.edu/bag/data/older.txt", 400),
                ("test.edu/bag/data/recent.txt", 10), ("test.edu/bag/data/gone.txt", 500),
                ("test.edu/secret/data/s.txt", 200), ("example.org/shared/data/x.txt", 300),
                ("example.org/private/data/p.txt", 45),
            ]
            for (file, days) in files {
                let id = try registry.makeFile(file)
                if let days {
                    try registry.sql().query("""
                        UPDATE generic_files SET last_fixity_check = now() - make_interval(days => $1::int, hours => 3)
                        WHERE id = $2
                        """, [String(days), String(id)])
                }
            }
            try registry.sql().query("UPDATE generic_files SET state = 'D' WHERE identifier = 'test.edu/bag/data/gone.txt'")
            try registry.sql().query("""
                UPDATE generic_files SET storage_option = 'Glacier-OH' WHERE identifier = 'test.edu/bag/data/older.txt'
                """)
        }

        func get(_ path: String, as caller: TestRegistry.Credentials? = nil) throws -> TestHTTPResponse {
            try registry.client().request(method: "GET", path: path, headers: (caller ?? admin).headers)
        }

        /// (identifier, days_since_last_fixity_check) of an overdue list.
        func overdue(_ query: String, as caller: TestRegistry.Credentials? = nil) throws -> [String] {
            let response = try get("/api/v2/fixity/overdue?\(query)", as: caller)
            #expect(response.status == 200, "\(query): \(response.text)")
            return try response.results().map { "\($0["identifier"] as? String ?? "?") \($0["days_since_last_fixity_check"] as? Int ?? -1)" }
        }
    }

    @Test("AUD-30: active files checked more than N days ago, oldest first, with the whole days since")
    func overdueList() throws {
        let world = try World()
        // a.txt has the default 2000-01-01 and so is the most overdue of all.
        let all = try world.overdue("days=30")
        let defaultDays = try #require(Int(try world.registry.sql().scalar(
            "SELECT floor(extract(epoch FROM now() - timestamptz '2000-01-01T00:00:00Z') / 86400)::int") ?? ""))
        #expect(all == ["test.edu/bag/data/a.txt \(defaultDays)", "test.edu/bag/data/older.txt 400",
                        "example.org/shared/data/x.txt 300", "test.edu/secret/data/s.txt 200",
                        "test.edu/bag/data/old.txt 100", "example.org/private/data/p.txt 45"])
        #expect(try world.overdue("days=150") == ["test.edu/bag/data/a.txt \(defaultDays)", "test.edu/bag/data/older.txt 400",
                                                  "example.org/shared/data/x.txt 300", "test.edu/secret/data/s.txt 200"])
        #expect(try world.overdue("days=30&storage_option=Glacier-OH") == ["test.edu/bag/data/older.txt 400"])
        #expect(try world.overdue("days=30&storage_option=Glacier-OH&storage_option=Standard").count == 6)
        #expect(try world.overdue("days=30&institution=example.org")
            == ["example.org/shared/data/x.txt 300", "example.org/private/data/p.txt 45"])
        #expect(try world.overdue("days=36500").isEmpty)

        // Each item is the file representation plus the day count.
        let response = try world.get("/api/v2/fixity/overdue?days=30&per_page=2")
        let object = try response.jsonObject()
        #expect(object["count"] as? Int == 6)
        #expect((object["next"] as? String)?.hasSuffix("/api/v2/fixity/overdue?days=30&page=2&per_page=2") == true)
        let first = try #require(try response.results().first)
        let show = try world.get("/api/v2/files/\(first["id"] as? Int ?? 0)").jsonObject()
        var withoutDays = first
        withoutDays.removeValue(forKey: "days_since_last_fixity_check")
        #expect(NSDictionary(dictionary: withoutDays).isEqual(to: show))
        #expect(response.text.contains(#""updated_at":"#) && response.text.contains(#","days_since_last_fixity_check":"#))
    }

    @Test("§7.2: the overdue list is tenant-scoped: own institution; inst users without restricted objects")
    func overdueVisibility() throws {
        let world = try World()
        #expect(try world.overdue("days=30", as: world.instAdmin).map { $0.components(separatedBy: " ")[0] }
            == ["test.edu/bag/data/a.txt", "test.edu/bag/data/older.txt", "test.edu/secret/data/s.txt", "test.edu/bag/data/old.txt"])
        #expect(try world.overdue("days=30", as: world.user).map { $0.components(separatedBy: " ")[0] }
            == ["test.edu/bag/data/a.txt", "test.edu/bag/data/older.txt", "test.edu/bag/data/old.txt"])
        #expect(try world.overdue("days=30&institution=example.org", as: world.user).isEmpty, "another institution: empty")
        let member = try world.get("/member-api/v2/fixity/overdue?days=30", as: world.outsider)
        #expect(member.status == 200)
        #expect(try member.identifiers() == ["example.org/shared/data/x.txt", "example.org/private/data/p.txt"])
    }

    @Test("AUD-30: days is required, an integer 1-36500; other parameters are checked")
    func overdueParameters() throws {
        let world = try World()
        let cases: [(String, String)] = [
            ("", "days is required"), ("days=", "days is required"), ("days=0", "days must be an integer between 1 and 36500"),
            ("days=36501", "days must be an integer between 1 and 36500"), ("days=-3", "days must be an integer between 1 and 36500"),
            ("days=ten", "days must be an integer between 1 and 36500"), ("days=5&days=6", "parameter may not repeat: days"),
            ("days=5&storage_option=Tape", "invalid value for storage_option: Tape"), ("days=5&sort=size", "invalid sort: size"),
            ("days=5&state=D", "unknown query parameter: state"), ("days=5&per_page=0", "per_page must be between 1 and 1000"),
        ]
        for (query, message) in cases {
            let response = try world.get("/api/v2/fixity/overdue?\(query)")
            #expect(response.status == 400, "\(query)")
            #expect(response.message == message, "\(query): \(response.text)")
        }
        #expect(try world.get("/api/v2/fixity/overdue?days=5&sort=last_fixity_check").status == 200)
    }

    @Test("AUD-31: a file's fixity history: the file, last check, newest outcome, checksums and fixity events in order")
    func fileFixityHistory() throws {
        let world = try World()
        let file = "test.edu/bag/data/a.txt"
        let fileID = try #require(try world.registry.sql().scalar("SELECT id FROM generic_files WHERE identifier = $1", [file]))
        try world.registry.sql().query("""
            INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES
              ($1, 'sha256', '2024-03-01T00:00:00Z', repeat('c', 64)),
              ($1, 'md5', '2024-01-01T00:00:00Z', repeat('d', 32))
            """, [fileID])
        // Appended newest first: the history orders by date_time; the newest check decides the outcome.
        let newest = TestRegistry.TestEvent(eventType: "fixity check", dateTime: "2024-06-01T00:00:00Z", outcome: "Failed",
                                            objectIdentifier: "test.edu/bag", fileIdentifier: file)
        let oldest = TestRegistry.TestEvent(eventType: "fixity check", dateTime: "2024-02-01T00:00:00Z",
                                            objectIdentifier: "test.edu/bag", fileIdentifier: file)
        let ingest = TestRegistry.TestEvent(eventType: "ingestion", dateTime: "2024-07-01T00:00:00Z",
                                            objectIdentifier: "test.edu/bag", fileIdentifier: file)
        try world.registry.appendEvents([newest, oldest, ingest])

        let response = try world.get("/api/v2/files/test.edu%2Fbag%2Fdata%2Fa.txt/fixity")
        #expect(response.status == 200, "\(response.text)")
        #expect(response.headers["Content-Type"] == "application/json; charset=utf-8")
        let history = try response.jsonObject()
        #expect(response.text.hasPrefix(#"{"generic_file":{"id":"#))
        let show = try world.get("/api/v2/files/\(fileID)").jsonObject()
        #expect(NSDictionary(dictionary: history["generic_file"] as? [String: Any] ?? [:]).isEqual(to: show))
        // DOM-73: the fixity events moved last_fixity_check to the newest one's date_time.
        #expect(history["last_fixity_check"] as? String == "2024-06-01T00:00:00.000000Z")
        #expect(history["last_outcome"] as? String == "Failed")
        let checksums = history["checksums"] as? [[String: Any]] ?? []
        #expect(checksums.map { $0["algorithm"] as? String } == ["md5", "sha256"], "datetime ascending")
        #expect(checksums.first?.keys.sorted() == ["algorithm", "created_at", "datetime", "digest", "generic_file_id",
                                                   "generic_file_identifier", "id", "updated_at"])
        let checks = history["fixity_checks"] as? [[String: Any]] ?? []
        #expect(checks.map { $0["identifier"] as? String } == [oldest.identifier, newest.identifier], "only fixity checks, date_time ascending")
        #expect(checks.first?["chain_hash"] is String, "the full event representation")

        // No checks yet: last_outcome null, empty lists.
        let fresh = try world.get("/api/v2/files/test.edu%2Fbag%2Fdata%2Fold.txt/fixity").jsonObject()
        #expect(fresh["last_outcome"] is NSNull)
        #expect((fresh["checksums"] as? [Any])?.isEmpty == true)
        #expect((fresh["fixity_checks"] as? [Any])?.isEmpty == true)
    }

    @Test("DOM-96a: the fixity history follows the file's show rule; 404 for invisible and unknown alike")
    func fileFixityVisibility() throws {
        let world = try World()
        let path = { (file: String) in "/api/v2/files/\(file)/fixity" }
        #expect(try world.get(path("example.org%2Fshared%2Fdata%2Fx.txt"), as: world.user).status == 200, "consortia")
        let hidden = try world.get(path("example.org%2Fprivate%2Fdata%2Fp.txt"), as: world.user)
        #expect(hidden.status == 404)
        #expect(hidden.message == "file not found: example.org/private/data/p.txt; check that the identifier was escaped")
        let unknown = try world.get(path("example.org%2Fprivate%2Fdata%2Fq.txt"), as: world.user)
        #expect(unknown.message == "file not found: example.org/private/data/q.txt; check that the identifier was escaped")
        #expect(try world.get(path("test.edu%2Fsecret%2Fdata%2Fs.txt"), as: world.user).status == 404, "restricted")
        #expect(try world.get(path("test.edu%2Fsecret%2Fdata%2Fs.txt"), as: world.instAdmin).status == 200)
        #expect(try world.get(path("test.edu%2Fbag"), as: world.admin).status == 404, "an object is not a file")
        let member = try world.get("/member-api/v2/files/test.edu%2Fbag%2Fdata%2Fa.txt/fixity", as: world.user)
        #expect(member.status == 200)
        let withQuery = try world.get(path("test.edu%2Fbag%2Fdata%2Fa.txt") + "?per_page=5")
        #expect(withQuery.status == 400)
        #expect(withQuery.message == "unknown query parameter: per_page")
    }
}
