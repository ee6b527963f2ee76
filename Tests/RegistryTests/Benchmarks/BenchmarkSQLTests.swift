import Foundation
import HTTPServer
import Testing
import TestSupport

/// `make bench-api` compares each endpoint with pgbench running "the same SQL the server runs"
/// (issue 3). The pgbench scripts are written out by hand, so this suite sends each benchmarked
/// request — shaped exactly as `Benchmarks/wrk/api.lua` sends it — through the real API pipeline on
/// ONE database connection and requires the statements that connection prepared to be exactly the
/// script's server statements, in the same order. Any change to a route's SQL fails here until
/// the script follows.
@Suite("Benchmarks: pgbench scripts run the server's SQL")
struct BenchmarkSQLTests {
    /// A small world with one of everything the benchmarked requests touch.
    struct World {
        let registry: TestRegistry
        let headers: [(String, String)]
        let targetObjectID: Int64

        static func start() throws -> World {
            let registry = try TestRegistry.start()
            try registry.makeInstitution("bench.edu")
            let admin = try registry.makeUser("bench-admin@aptrust.org", role: "admin", institution: "bench.edu")
            // DOM-58's once-a-minute `last_used_at` write is not part of a steady-state request.
            _ = try registry.sql().query("UPDATE api_keys SET last_used_at = now()")
            try registry.makeObject("bench.edu/bag-000001")
            try registry.makeFile("bench.edu/bag-000001/data/images/item-001.tif")
            try registry.appendEvents(TestRegistry.events(3, object: "bench.edu/bag-000001"))
            _ = try registry.sql().query("""
                INSERT INTO work_items (name, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status, retry)
                SELECT 'newbag.tar', now(), 'aptrust.receiving.bench.edu', 'uploader@bench.edu', id, 'n', 'o', 'Ingest',
                       'Receive', 'Pending', true FROM institutions
                """)
            let target = try registry.makeObject("bench.edu/ingest-target-00")
            return World(registry: registry, target: target,
                         headers: [("X-Pharos-API-User", admin.email), ("X-Pharos-API-Key", admin.key)])
        }

        private init(registry: TestRegistry, target: Int64, headers: [(String, String)]) {
            self.registry = registry
            self.targetObjectID = target
            self.headers = headers
        }
    }

    /// One benchmarked request: the pgbench script and what wrk sends.
    struct Case: Sendable, CustomStringConvertible {
        let script: String
        let method: HTTPMethod
        let target: String
        let body: String
        let status: Int
        var description: String { script }
    }

    static func cases(targetObjectID: Int64) -> [Case] {
        [
            Case(script: "object_show", method: .get, target: "/api/v2/objects/bench.edu%2Fbag-000001", body: "", status: 200),
            Case(script: "object_list", method: .get, target: "/api/v2/objects/bench.edu?page=1&per_page=100", body: "",
                 status: 200),
            Case(script: "object_events", method: .get,
                 target: "/api/v2/events/?object_identifier=bench.edu%2Fbag-000001&page=1&per_page=500", body: "", status: 200),
            Case(script: "items_poll", method: .get,
                 target: "/api/v2/items/?node_empty=true&page=1&per_page=100&queued=false&retry=true&status=Pending",
                 body: "", status: 200),
            Case(script: "event_create", method: .post, target: "/api/v2/events/",
                 body: BenchmarkBodies.fixityEvent(file: "bench.edu/bag-000001/data/images/item-001.tif"), status: 201),
            Case(script: "create_batch", method: .post, target: "/api/v2/files/\(targetObjectID)/create_batch",
                 body: BenchmarkBodies.batch(object: "bench.edu/ingest-target-00", files: 3), status: 201),
        ]
    }

    static func scriptURL(_ name: String) -> URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Benchmarks/pgbench/\(name).sql")
    }

    @Test("issue 3 bench-api: each pgbench script's statements are exactly those the server prepares for the request")
    func scriptsMatchTheServer() throws {
        let world = try World.start()
        for benchCase in Self.cases(targetObjectID: world.targetObjectID) {
            var headers = world.headers
            if !benchCase.body.isEmpty { headers.append(("Content-Type", "application/json")) }
            // A fresh pool: its one connection has prepared nothing yet.
            let api = try InProcessAPI(conninfo: world.registry.conninfo)
            let response = api.send(benchCase.method, benchCase.target, headers: headers, body: Array(benchCase.body.utf8))
            #expect(response.status == benchCase.status, "\(benchCase): \(Self.text(response))")
            let server = try api.preparedStatements().map(PgbenchScript.normalized)
            let script = try PgbenchScript(contentsOf: Self.scriptURL(benchCase.script))
            #expect(script.preparedOrder == server, """
                \(benchCase.script).sql differs from the server.
                server:
                \(server.joined(separator: "\n"))
                script:
                \(script.preparedOrder.joined(separator: "\n"))
                """)
        }
    }

    @Test("pgbench script reading: variables numbered per statement, casts kept, helpers and BEGIN/COMMIT set apart")
    func scriptReading() throws {
        #expect(PgbenchScript.numbered("SELECT :a::bigint, x::text, :b_2 FROM t WHERE c = ':00'") ==
                "SELECT $1::bigint, x::text, $2 FROM t WHERE c = ':00'")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("pgbench-\(UUID().uuidString).sql")
        try """
            -- a comment
            \\set limit 101
            -- helper: values
            SELECT 1 AS one \\gset
            SELECT a
            FROM t WHERE b = :x \\gset p_
            BEGIN;
            UPDATE t SET a = :y WHERE b = :x;
            COMMIT;
            SELECT a FROM t WHERE b = :x;
            """.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = try PgbenchScript(contentsOf: file)
        #expect(script.helperStatements == ["SELECT 1 AS one"])
        #expect(script.serverStatements == ["SELECT a FROM t WHERE b = $1", "UPDATE t SET a = $1 WHERE b = $2",
                                            "SELECT a FROM t WHERE b = $1"])
        #expect(script.preparedOrder == ["SELECT a FROM t WHERE b = $1", "UPDATE t SET a = $1 WHERE b = $2"])
    }

    static func text(_ response: HTTPResponse) -> String {
        if case .bytes(let bytes) = response.body { return String(decoding: bytes.prefix(500), as: UTF8.self) }
        return ""
    }
}

/// The POST bodies of `Benchmarks/wrk/api.lua`, field for field (the fields decide which
/// statements run: e.g. a `generic_file_id` would add a lookup by id, a `replication` event with a
/// URL the replica storage record).
enum BenchmarkBodies {
    static func fixityEvent(file: String) -> String {
        """
        {"identifier":"\(UUID().uuidString.lowercased())","event_type":"fixity check","date_time":"2026-11-27T04:00:00Z",\
        "detail":"Fixity check against registered hash","outcome":"Success","outcome_detail":"sha256:\(String(repeating: "ab", count: 32))",\
        "outcome_information":"Fixity matches","object":"Go language crypto/sha256","agent":"https://github.com/APTrust/preserv",\
        "generic_file_identifier":"\(file)"}
        """
    }

    static let ingestEvents = ["fixity check", "message digest calculation", "identifier assignment",
                               "identifier assignment", "replication", "ingestion"]

    static func batch(object: String, files: Int) -> String {
        let at = "2026-11-27T04:00:00Z"
        let elements = (1...files).map { number in
            let events = ingestEvents.enumerated().map { index, type in
                let detail = index == 0 ? "sha256:\(String(repeating: "cd", count: 32))"
                    : index == 4 ? "https://s3.us-west-2.amazonaws.com/aptrust.preservation.oregon/\(UUID().uuidString.lowercased())"
                    : "detail of step \(index + 1)"
                return """
                    {"identifier":"\(UUID().uuidString.lowercased())","event_type":"\(type)","date_time":"\(at)",\
                    "detail":"Worker detail","outcome":"Success","outcome_detail":"\(detail)",\
                    "outcome_information":"Worker information","object":"Exchange worker",\
                    "agent":"https://github.com/APTrust/preservation-services"}
                    """
            }
            return """
                {"identifier":"\(object)/data/wrk-1-1-0/file-\(String(format: "%03d", number)).txt","file_format":"text/plain",\
                "uri":"https://s3.amazonaws.com/aptrust.preservation.storage/\(UUID().uuidString.lowercased())","size":\(1000 + number),\
                "checksums":[{"algorithm":"md5","datetime":"\(at)","digest":"\(String(repeating: "e", count: 32))"},\
                {"algorithm":"sha256","datetime":"\(at)","digest":"\(String(repeating: "cd", count: 32))"}],\
                "premis_events":[\(events.joined(separator: ","))]}
                """
        }
        return "[" + elements.joined(separator: ",") + "]"
    }
}
