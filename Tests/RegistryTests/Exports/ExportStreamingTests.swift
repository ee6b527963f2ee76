import Foundation
import Testing
import TestSupport

/// The streaming behaviour of `GET /events/export` (auditor.md AUD-13..15; operations.md OPS-46):
/// one snapshot, back-pressure, disconnects, truncation, graceful shutdown.
@Suite("Exports: streaming")
struct ExportStreamingTests {
    /// example.org holds `bigCount` events of about 1 KiB each (≈ 20 MB of NDJSON, far more than the
    /// socket buffers of a `StreamingHTTPClient` and the server's high-water mark, so a client that
    /// stops reading really stops the export); test.edu a few real chained events.
    struct BigWorld {
        static let defaultCount = 20_000
        let bigCount: Int
        let registry: TestRegistry
        let admin: TestRegistry.Credentials
        let testEduCount = 3

        init(environment: [String: String] = [:], bigCount: Int = defaultCount) throws {
            self.bigCount = bigCount
            registry = try TestRegistry.start(environment: environment)
            try registry.makeInstitution("example.org")
            try registry.makeInstitution("test.edu")
            admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
            try registry.makeObject("example.org/big")
            try registry.makeObject("test.edu/bag")
            // Hashes need not verify here: only the export's reading is under test.
            try registry.sql().query("""
                INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object,
                                           agent, intellectual_object_id, intellectual_object_identifier, institution_id,
                                           sequence, entry_hash, chain_hash)
                SELECT gen_random_uuid(), 'fixity check', timestamptz '2023-01-01' + n * interval '1 minute', 'Success',
                       'detail ' || n || ' ' || repeat('x', 700), 'ok', 'o', 'a', o.id, o.identifier, o.institution_id,
                       n, sha256(n::text::bytea), sha256(n::text::bytea)
                FROM generate_series(1, \(bigCount)) n, intellectual_objects o WHERE o.identifier = 'example.org/big'
                """)
            try registry.appendEvents(TestRegistry.events(testEduCount, object: "test.edu/bag"))
        }

        var allCount: Int { bigCount + testEduCount }

        /// Starts the admin's full NDJSON export (sort=sequence: example.org's events first).
        func startExport(_ query: String = "format=ndjson", receiveBufferBytes: Int32 = 16 * 1024) throws
            -> (StreamingHTTPClient, StreamingHTTPClient.Head) {
            let client = try StreamingHTTPClient(port: registry.port, receiveBufferBytes: receiveBufferBytes)
            try client.get("/api/v2/events/export?\(query)", headers: admin.headers)
            let head = try client.readHead()
            return (client, head)
        }

        /// Client sessions of the server's database (other than the asking one) inside a transaction
        /// of more than one statement, as the export's is. A single statement runs in a transaction
        /// of its own too (the server's pool pings, an autovacuum of the loaded tables): a CI run
        /// counted one of those beside the export, so they are left out.
        func openTransactions() throws -> Int {
            Int(try registry.sql().scalar("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
                  AND (state LIKE 'idle in transaction%' OR xact_start < query_start)
                """) ?? "-1") ?? -1
        }

        /// `registry_db_pool_connections{pool="primary",state="in_use"}` from /metrics.
        func connectionsInUse() throws -> Int {
            let metrics = try registry.client().request(method: "GET", path: "/metrics").text
            let line = metrics.split(separator: "\n").first { $0.hasPrefix("registry_db_pool_connections{pool=\"primary\",state=\"in_use\"}") }
            return Int(line?.split(separator: " ").last ?? "") ?? -1
        }

        /// Waits up to `seconds` for `condition`; returns how long it took, or nil.
        func waitFor(seconds: Double, _ condition: () throws -> Bool) rethrows -> Double? {
            let start = Date()
            while Date().timeIntervalSince(start) < seconds {
                if try condition() { return Date().timeIntervalSince(start) }
                Thread.sleep(forTimeInterval: 0.05)
            }
            return nil
        }
    }

    /// The `identifier` of each NDJSON line (lines start `{"id":n,"identifier":"<uuid>"`).
    static func identifiers(_ body: [UInt8]) -> [String] {
        String(decoding: body, as: UTF8.self).split(separator: "\n").map { line in
            guard let range = line.range(of: "\"identifier\":\"") else { return "?" }
            return String(line[range.upperBound...].prefix(36))
        }
    }

    @Test("AUD-13, AUD-14: one snapshot; events committed while the export runs are not in it; nothing skipped or doubled")
    func snapshot() throws {
        let world = try BigWorld()
        let start = Date()
        let (client, head) = try world.startExport()
        #expect(head.status == 200)
        #expect(head.value("Transfer-Encoding") == "chunked")
        var raw = try client.readSome()
        #expect(Date().timeIntervalSince(start) < 2, "first byte within 2 s (AUD-13)")
        // The client stops reading: the export must wait inside its transaction (back-pressure),
        // not run ahead and buffer the rest.
        Thread.sleep(forTimeInterval: 0.5)
        #expect(try world.openTransactions() == 1, "the export is still reading, in its transaction")

        // Committed now, in both institutions: the export began earlier, so neither is in it — also
        // not test.edu's, whose rows the export has not reached yet (its own cursor, same snapshot).
        let late = TestRegistry.TestEvent(objectIdentifier: "test.edu/bag")
        try world.registry.appendEvents([late])
        try world.registry.sql().query("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent,
                                       intellectual_object_id, intellectual_object_identifier, institution_id, sequence,
                                       entry_hash, chain_hash)
            SELECT gen_random_uuid(), 'creation', now(), 'Success', 'late', 'ok', 'o', 'a', o.id, o.identifier,
                   o.institution_id, \(world.bigCount + 1), sha256('late'), sha256('late')
            FROM intellectual_objects o WHERE o.identifier = 'example.org/big'
            """)

        raw += try client.readToEnd()
        let transfer = ChunkedTransfer(raw: raw)
        #expect(transfer.terminated, "complete transfer")
        let identifiers = Self.identifiers(transfer.data)
        #expect(identifiers.count == world.allCount)
        let lateIncluded = identifiers.contains(late.identifier)
        #expect(!lateIncluded, "committed after the export began")
        #expect(Set(identifiers).count == identifiers.count, "no duplicates")
        // example.org first, in sequence order without a gap.
        let sequences = String(decoding: transfer.data, as: UTF8.self).split(separator: "\n").prefix(world.bigCount)
            .map { line -> Int in
                let tail = line[line.range(of: "\"sequence\":")!.upperBound...]
                return Int(tail.prefix { $0.isNumber }) ?? 0
            }
        let consecutive = sequences == Array(1...world.bigCount)
        #expect(consecutive, "example.org's events in sequence order, none skipped")
    }

    @Test("AUD-15: a client that disconnects mid-export releases the query and its connection within 5 s")
    func disconnectReleasesConnection() throws {
        let world = try BigWorld()
        let (client, head) = try world.startExport("format=csv")
        #expect(head.status == 200)
        _ = try client.readSome()
        Thread.sleep(forTimeInterval: 0.3)
        #expect(try world.openTransactions() == 1)
        #expect(try world.connectionsInUse() == 1)
        client.close()
        let released = try world.waitFor(seconds: 5) { try world.openTransactions() == 0 && world.connectionsInUse() == 0 }
        #expect(released != nil, "transaction ended and connection back in the pool within 5 s")
        // The server is fine afterwards.
        #expect(try world.registry.client().request(method: "GET", path: "/api/v2/events?per_page=1",
                                                    headers: world.admin.headers).status == 200)
    }

    @Test("AUD-15: a client that hangs up while a FETCH is blocked is noticed and the query cancelled within 5 s")
    func disconnectDuringBlockedFetch() throws {
        let world = try BigWorld(bigCount: 100)
        // A lock held elsewhere blocks the export's first FETCH: no byte is written while it waits,
        // so only the server's watch on the client can end the query.
        let blocker = try world.registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("LOCK TABLE premis_events IN ACCESS EXCLUSIVE MODE")
        let client = try StreamingHTTPClient(port: world.registry.port, receiveBufferBytes: 16 * 1024)
        try client.get("/api/v2/events/export?format=ndjson", headers: world.admin.headers)
        let waiting = try world.waitFor(seconds: 5) { try world.connectionsInUse() == 1 }
        #expect(waiting != nil)
        client.close()
        let released = try world.waitFor(seconds: 5) { try world.connectionsInUse() == 0 }
        #expect(released != nil, "the blocked query was cancelled and its connection released within 5 s")
        try blocker.query("COMMIT")
    }

    @Test("AUD-25, AUD-15: a client that hangs up while the PREMIS export is blocked is noticed and the query cancelled")
    func premisDisconnectDuringBlockedQuery() throws {
        let world = try BigWorld(bigCount: 100)
        let blocker = try world.registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("LOCK TABLE premis_events IN ACCESS EXCLUSIVE MODE")
        let client = try StreamingHTTPClient(port: world.registry.port, receiveBufferBytes: 16 * 1024)
        try client.get("/api/v2/objects/example.org%2Fbig/premis", headers: world.admin.headers)
        let waiting = try world.waitFor(seconds: 5) { try world.connectionsInUse() == 1 }
        #expect(waiting != nil)
        client.close()
        let released = try world.waitFor(seconds: 5) { try world.connectionsInUse() == 0 }
        #expect(released != nil, "the blocked PREMIS query was cancelled and its connection released within 5 s")
        try blocker.query("COMMIT")
    }

    @Test("AUD-14, AUD-15: past EXPORT_MAX_SECONDS the transfer is cut off: no terminating chunk, no partial line")
    func timeLimitTruncates() throws {
        let world = try BigWorld(environment: ["EXPORT_MAX_SECONDS": "1"])
        let (client, head) = try world.startExport()
        #expect(head.status == 200)
        var raw = try client.readSome()
        Thread.sleep(forTimeInterval: 1.5)
        raw += try client.readToEnd()
        let transfer = ChunkedTransfer(raw: raw)
        #expect(!transfer.terminated, "truncated transfer")
        #expect(transfer.data.last == UInt8(ascii: "\n"), "every complete chunk ends with a whole line")
        #expect(Self.identifiers(transfer.data).count < world.allCount)
        #expect(try world.waitFor(seconds: 5) { try world.openTransactions() == 0 && world.connectionsInUse() == 0 } != nil)
        #expect(world.registry.log().contains("export did not finish within EXPORT_MAX_SECONDS (1 s)"))
    }

    @Test("AUD-15: a database failure after the first byte truncates the transfer; the server carries on")
    func databaseFailureTruncates() throws {
        let world = try BigWorld()
        let (client, head) = try world.startExport()
        #expect(head.status == 200)
        var raw = try client.readSome()
        Thread.sleep(forTimeInterval: 0.3)
        // The export's session: inside its transaction, on its cursor. Any backend with an open
        // transaction also caught a background statement of the server now and then (a CI run
        // terminated two).
        let terminated = try world.registry.sql().scalar("""
            SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND xact_start IS NOT NULL
              AND (query LIKE 'FETCH FORWARD %' OR query LIKE 'DECLARE %')
            """)
        #expect(terminated == "1")
        raw += try client.readToEnd()
        let transfer = ChunkedTransfer(raw: raw)
        #expect(!transfer.terminated)
        #expect(transfer.data.last == UInt8(ascii: "\n"))
        #expect(world.registry.log().contains("streamed response failed after its first byte"))
        #expect(try world.registry.client().request(method: "GET", path: "/api/v2/events?per_page=1",
                                                    headers: world.admin.headers).status == 200)
    }

    @Test("OPS-46: SIGTERM during a 2 s export: new connections refused, the export completes, exit 0")
    func shutdownLetsExportFinish() throws {
        // About 8 MB read at about 4 MB/s: the export needs about 2 s after the signal. The grace
        // period is generous so that a loaded test machine cannot turn this into a cut-off.
        let grace = 20.0
        let world = try BigWorld(environment: ["SHUTDOWN_GRACE_S": String(Int(grace))], bigCount: 6_000)
        let (client, head) = try world.startExport(receiveBufferBytes: 256 * 1024)
        #expect(head.status == 200)
        var raw = try client.readSome()
        let signalled = Date()
        kill(world.registry.processIdentifier, SIGTERM)
        Thread.sleep(forTimeInterval: 0.3)
        #expect((try? RawHTTPClient(port: world.registry.port, receiveTimeout: 1)) == nil, "new connections are refused")
        raw += try client.readToEnd(readBytes: 64 * 1024, pause: 0.015)
        let exportSeconds = Date().timeIntervalSince(signalled)
        let transfer = ChunkedTransfer(raw: raw)
        #expect(transfer.terminated, "the export completed normally")
        #expect(Self.identifiers(transfer.data).count == world.allCount)
        #expect(exportSeconds > 1.5, "the export was still running well after the signal")
        #expect(world.registry.stop(timeout: grace + 5) == 0)
        #expect(Date().timeIntervalSince(signalled) < grace + 5, "exit within SHUTDOWN_GRACE_S + 5 s")
        #expect(world.registry.log().contains("\"requests_cut_off\":0"))
    }
}
