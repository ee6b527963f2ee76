import Foundation
import Testing
import TestSupport

/// Migration 0006 replaced the btree indexes on file identifiers and bag names with hash indexes
/// (equality) and 512-character prefix btrees (order). The list queries must put the prefix first
/// to use them: this drives the real server's requests over 40,000 files and reads PostgreSQL's
/// per-index scan counters, so it checks the SQL the server actually sends.
@Suite("Files: the long-identifier indexes serve the server's queries")
struct LongIdentifierIndexTests {
    @Test("identifier lookups, files by identifier (object, institution, all) and objects by bag_name use their indexes")
    func serverQueriesUseTheIndexes() throws {
        let world = try FileTestWorld.start()
        let sql = try world.registry.sql()
        try sql.query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
            SELECT 'test.edu/bag' || g, 'bag' || g, \(world.institutionID), 'T', 'institution' FROM generate_series(1, 400) g
            """)
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

        let cases: [(path: String, index: String)] = [
            ("/api/v2/files/\(escaped(someFile))", "generic_files_identifier_key"),
            ("/api/v2/files/?identifier=\(escaped(otherFile))", "generic_files_identifier_key"),
            ("/api/v2/files/\(escaped("test.edu/bag7"))?per_page=3", "generic_files_object_identifier_idx"),
            ("/api/v2/files/test.edu?per_page=3&page=2", "generic_files_institution_identifier_idx"),
            ("/api/v2/files/?per_page=3", "generic_files_identifier_order_idx"),
            ("/api/v2/objects/?sort=name&per_page=3", "intellectual_objects_bag_name_order_idx"),
            ("/api/v2/objects/?bag_name=bag77", "intellectual_objects_bag_name_idx"),
        ]
        let before = try Self.scans(sql)
        for (path, _) in cases {
            let response = try world.request("GET", path)
            #expect(response.status == 200, "\(path): \(response.text.prefix(200))")
        }
        // Each index must have been scanned as often as the cases that name it; no other request
        // of this test reads these indexes.
        var expected: [String: Int] = [:]
        for (_, index) in cases { expected[index, default: 0] += 1 }
        let after = try Self.waitForScans(sql) { scans in
            expected.allSatisfy { index, count in (scans[index] ?? 0) >= (before[index] ?? 0) + count }
        }
        for (path, index) in cases {
            #expect((after[index] ?? 0) > (before[index] ?? 0), "\(path) did not use \(index)")
        }
    }

    /// idx_scan of every index of the test's database.
    private static func scans(_ sql: TestSQLConnection) throws -> [String: Int] {
        try sql.query("SELECT pg_stat_clear_snapshot()")
        var scans: [String: Int] = [:]
        for row in try sql.query("SELECT indexrelname, idx_scan FROM pg_stat_user_indexes") {
            scans[row[0] ?? ""] = Int(row[1] ?? "") ?? 0
        }
        return scans
    }

    /// A server session reports its counters when it goes idle, but at most once a second and
    /// otherwise after up to 10 s (PostgreSQL 15's PGSTAT_IDLE_INTERVAL), so this polls for 15 s.
    private static func waitForScans(_ sql: TestSQLConnection,
                                     until done: ([String: Int]) -> Bool) throws -> [String: Int] {
        let deadline = Date().addingTimeInterval(15)
        var current = try scans(sql)
        while !done(current) && Date() < deadline {
            usleep(200_000)
            current = try scans(sql)
        }
        return current
    }
}
