import Foundation
import Testing
import TestSupport

/// `registry demo-data` (operations.md OPS-26, OPS-80).
@Suite("registry demo-data")
struct DemoDataTests {
    @Test("OPS-80: the demo set once, credentials that work, chains that verify; a second run changes nothing")
    func demoData() throws {
        let registry = try TestRegistry.start()
        let first = try registry.cli(["demo-data"])
        #expect(first.status == 0)
        let rows = first.stdout.split(separator: "\n").dropFirst().map { $0.split(separator: " ", omittingEmptySubsequences: true) }
        #expect(rows.map { String($0[0]) } == ["system@aptrust.org", "admin@aptrust.org", "admin@test.edu", "admin2@test.edu",
                                               "user@test.edu", "admin@example.org"])
        let sql = try registry.sql()
        let counts = try sql.query("""
            SELECT (SELECT count(*) FROM institutions), (SELECT count(*) FROM intellectual_objects),
                   (SELECT count(*) FROM generic_files), (SELECT count(*) FROM checksums),
                   (SELECT count(*) FROM premis_events WHERE event_type = 'fixity check' AND outcome = 'Failed'),
                   (SELECT count(*) FROM work_items WHERE action = 'Ingest' AND stage = 'Cleanup' AND status = 'Success'
                                                      AND queued_at IS NOT NULL),
                   (SELECT count(*) FROM work_items WHERE name = 'demo-bag-4.tar' AND status = 'Pending' AND queued_at IS NULL)
            """)[0]
        #expect(counts == ["4", "3", "7", "14", "1", "3", "1"])
        #expect(try sql.scalar("""
            SELECT string_agg(identifier || ':' || access || ':' || storage_option || ':' || file_count, ',' ORDER BY identifier)
            FROM intellectual_objects
            """) == "example.org/demo-bag-3:institution:Standard:2,test.edu/demo-bag-1:consortia:Standard:3,"
                    + "test.edu/demo-bag-2:restricted:Glacier-OR:2")
        // Every audit row of the demo names what it acted on (domain.md §4.12), as the API's do.
        #expect(try sql.scalar("""
            SELECT count(*) FROM audit_log WHERE auth_method = 'cli' AND (resource_type IS NULL OR resource_id IS NULL)
              AND action LIKE 'work_item.%'
            """) == "0")
        #expect(try sql.scalar("SELECT count(*) FROM audit_log WHERE action = 'work_item.create' AND resource_type = 'work_item'") == "4")
        let verify = try registry.cli(["audit", "verify"])
        #expect(verify.status == 0)
        #expect(verify.stdout.split(separator: "\n").allSatisfy { $0.hasPrefix("OK ") })

        // A printed key works against the API.
        let user = rows[4]
        let response = try registry.client().request(method: "GET", path: "/api/v2/objects/test.edu%2Fdemo-bag-1",
                                                     headers: [("X-Pharos-API-User", String(user[0])),
                                                               ("X-Pharos-API-Key", String(user[3]))])
        #expect(response.status == 200)

        let second = try registry.cli(["demo-data"])
        #expect(second.status == 0)
        #expect(second.stdout.isEmpty)
        #expect(second.stderr.contains("demo data already present"))
        #expect(try sql.scalar("SELECT count(*) FROM users") == "6")
    }
}
