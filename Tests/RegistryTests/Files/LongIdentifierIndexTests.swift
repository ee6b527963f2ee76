import Foundation
import Testing
import TestSupport

/// Migration 0006 replaced the btree indexes on file identifiers and bag names with hash indexes
/// (equality) and 512-character prefix btrees (order). The list queries must sort by the prefix
/// first (FileOrder) to read those indexes in order: this drives the real server's requests over
/// 40,000 files and reads PostgreSQL's per-index counters, so it checks the SQL the server actually
/// sends. An index read in order returns about a page of rows; one that only finds the rows for a
/// sort returns all of them (100 per object, 40,000 per institution), which is what the bound on
/// the rows read catches. Run with the server's statements planned as PostgreSQL plans them and
/// with generic plans forced (what a prepared statement may switch to after five executions).
@Suite("Files: the long-identifier indexes serve the server's queries")
struct LongIdentifierIndexTests {
    @Test("identifier lookups, files by identifier (object, long object, institution, all) and objects by bag_name",
          arguments: [false, true])
    func serverQueriesReadTheIndexesInOrder(genericPlans: Bool) throws {
        let world = try FileTestWorld.start(
            environment: genericPlans ? ["PGOPTIONS": "-c plan_cache_mode=force_generic_plan"] : [:])
        let sql = try world.registry.sql()
        // 400 objects of 100 files; one object's identifier is 600 characters long, so all its file
        // identifiers share their first 512 characters (its index key is the path after it).
        let longObject = "test.edu/" + String(repeating: "o", count: 591)
        try sql.query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
            SELECT CASE WHEN g = 400 THEN $1 ELSE 'test.edu/bag' || g END, 'bag' || g, \(world.institutionID), 'T',
                   'institution'
            FROM generate_series(1, 400) g
            """, [longObject])
        try sql.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size)
            SELECT o.identifier || '/data/' || md5(o.id || '-' || g), o.id, o.identifier, o.institution_id, 'text/plain',
                   'https://s3.example/' || o.id || '-' || g, 1
            FROM intellectual_objects o CROSS JOIN generate_series(1, 100) g
            """)
        try sql.query("ANALYZE")
        let someFile = try sql.scalar("SELECT max(identifier) FROM generic_files WHERE intellectual_object_identifier = 'test.edu/bag7'") ?? ""
        let otherFile = try sql.scalar("SELECT min(identifier) FROM generic_files WHERE intellectual_object_identifier = 'test.edu/bag9'") ?? ""

        // count=false: the count of a list reads every matching row by design (API-44).
        let cases: [(path: String, index: String)] = [
            ("/api/v2/files/\(escaped(someFile))", "generic_files_identifier_key"),
            ("/api/v2/files/?identifier=\(escaped(otherFile))&count=false", "generic_files_identifier_key"),
            ("/api/v2/files/\(escaped("test.edu/bag7"))?per_page=3&count=false", "generic_files_object_identifier_idx"),
            ("/api/v2/files/\(escaped(longObject))?per_page=3&page=2&count=false", "generic_files_object_identifier_idx"),
            ("/api/v2/files/test.edu?per_page=3&page=2&count=false", "generic_files_institution_identifier_idx"),
            ("/api/v2/files/?per_page=3&count=false", "generic_files_identifier_order_idx"),
            ("/api/v2/objects/?sort=name&per_page=3&count=false", "intellectual_objects_bag_name_order_idx"),
            ("/api/v2/objects/?bag_name=bag77&count=false", "intellectual_objects_bag_name_idx"),
        ]
        let before = try Self.counters(sql)
        for (path, _) in cases {
            let response = try world.request("GET", path)
            #expect(response.status == 200, "\(path): \(response.text.prefix(200))")
            if path.contains("?") {  // a list (the first case shows one file)
                #expect(try (response.jsonObject()["results"] as? [Any])?.isEmpty == false, "\(path)")
            }
        }
        var expected: [String: Int] = [:]
        for (_, index) in cases { expected[index, default: 0] += 1 }
        let after = try Self.waitForCounters(sql) { counters in
            expected.allSatisfy { index, count in (counters[index]?.scans ?? 0) >= (before[index]?.scans ?? 0) + count }
        }
        for (index, count) in expected {
            let scans = (after[index]?.scans ?? 0) - (before[index]?.scans ?? 0)
            let rowsRead = (after[index]?.rowsRead ?? 0) - (before[index]?.rowsRead ?? 0)
            #expect(scans >= count, "\(index) was not used (generic plans: \(genericPlans))")
            // A page of 3 (4 read for `next`, 3 skipped on page 2) and one more row to close the
            // Incremental Sort's group.
            #expect(rowsRead <= 10 * count, "\(index) read \(rowsRead) rows for \(count) requests (generic plans: \(genericPlans))")
        }
    }

    /// idx_scan and idx_tup_read of every index of the test's database.
    private static func counters(_ sql: TestSQLConnection) throws -> [String: (scans: Int, rowsRead: Int)] {
        try sql.query("SELECT pg_stat_clear_snapshot()")
        var counters: [String: (scans: Int, rowsRead: Int)] = [:]
        for row in try sql.query("SELECT indexrelname, idx_scan, idx_tup_read FROM pg_stat_user_indexes") {
            counters[row[0] ?? ""] = (Int(row[1] ?? "") ?? 0, Int(row[2] ?? "") ?? 0)
        }
        return counters
    }

    /// A server session reports its counters when it goes idle, but at most once a second and
    /// otherwise after up to 10 s (PostgreSQL 15's PGSTAT_IDLE_INTERVAL), so this polls for 15 s.
    private static func waitForCounters(
        _ sql: TestSQLConnection, until done: ([String: (scans: Int, rowsRead: Int)]) -> Bool
    ) throws -> [String: (scans: Int, rowsRead: Int)] {
        let deadline = Date().addingTimeInterval(15)
        var current = try counters(sql)
        while !done(current) && Date() < deadline {
            usleep(200_000)
            current = try counters(sql)
        }
        return current
    }
}
