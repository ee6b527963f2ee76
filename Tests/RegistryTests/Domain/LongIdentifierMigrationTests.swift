import Dispatch
import Foundation
import Postgres
import Testing
import TestSupport

/// Migration 0006 rebuilds indexes of generic_files and three other tables under their exclusive
/// locks. Its lock_timeout makes it fail after 10 s, rather than queue every request behind it,
/// when another transaction still holds one of them (README, "Long identifiers"); run again once
/// that transaction is gone, it applies.
@Suite("Migrations: 0006 gives up on a held lock")
struct LongIdentifierMigrationTests {
    @Test("0006 waits at most 10 s for a table another transaction holds, records nothing, and applies afterwards")
    func lockTimeoutThenRetry() throws {
        let repository = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let all = try MigrationSource.load(directory: repository.appendingPathComponent("migrations").path)
        let before0006 = all.filter { $0.version < "0006" }
        #expect(all.contains { $0.version == "0006" })
        let conninfo = try TestPostgres.freshDatabase()
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        _ = try Migrator(migrations: before0006).migrate(on: connection)

        // A reader inside a long transaction (an export, say) holds generic_files.
        let reader = try TestSQLConnection(conninfo: conninfo)
        try reader.query("BEGIN")
        try reader.query("SELECT count(*) FROM generic_files")
        // The migrator runs without a statement timeout: were the migration's own lock_timeout
        // missing, it would wait for the reader forever. The reader is ended after 30 s, so the
        // test then fails on the time instead of hanging.
        let readerPID = try reader.scalar("SELECT pg_backend_pid()::text") ?? ""
        DispatchQueue.global().asyncAfter(deadline: .now() + 30) {
            // Only that session of this test's own database (a pid can be reused by then).
            _ = try? TestSQLConnection(conninfo: conninfo).query("""
                SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                WHERE pid = $1::int AND datname = current_database() AND state = 'idle in transaction'
                """, [readerPID])
        }
        let started = Date()
        #expect(throws: MigrationError.self) { try Migrator(migrations: all).migrate(on: connection) }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 9.5 && waited < 20, "gave up after \(waited) s")
        #expect(try connection.query("SELECT count(*) FROM schema_migrations WHERE version = '0006'").int(0, 0) == 0)

        try reader.query("COMMIT")
        #expect(try Migrator(migrations: all).migrate(on: connection) == ["0006_long_identifier_indexes.sql"])
        let constraint = try connection.query("""
            SELECT contype::text FROM pg_constraint WHERE conname = 'generic_files_identifier_key'
            """)
        #expect(constraint.string(0, 0) == "x")
    }
}
