import CryptoSupport
import Foundation
import Postgres
import TestSupport
import Testing
import TestSupport

/// The migrations runner, OPS-30..32.
@Suite struct MigrationTests {
    let conninfo: String
    let connection: PGConnection

    init() throws {
        conninfo = try TestPostgres.freshDatabase()
        connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
    }

    static let files: [(name: String, text: String)] = [
        ("0010_add_note.sql", "ALTER TABLE alpha ADD COLUMN note text;\n"),
        ("0001_create_alpha.sql", "CREATE TABLE alpha (id int PRIMARY KEY);\nINSERT INTO alpha VALUES (1);\n"),
        ("0002_create_beta.sql", "CREATE TABLE beta (id int);\r\n-- a comment with 'quotes' and ✓\r\n"),
    ]

    private func migrations(_ files: [(name: String, text: String)] = MigrationTests.files) throws -> [Migration] {
        try MigrationSource.embedded(files)
    }

    private func tableExists(_ name: String) throws -> Bool {
        try connection.query("SELECT to_regclass(\(name)) IS NOT NULL").bool(0, 0) == true
    }

    private func recordedVersions() throws -> [String] {
        let rows = try connection.query("SELECT version FROM schema_migrations ORDER BY version")
        return (0..<rows.rowCount).compactMap { rows.string($0, 0) }
    }

    @Test func freshApplyRunsEveryFileInNumericOrder() throws {
        let applied = try Migrator(migrations: migrations()).migrate(on: connection)
        #expect(applied == ["0001_create_alpha.sql", "0002_create_beta.sql", "0010_add_note.sql"])
        #expect(try tableExists("alpha") && tableExists("beta"))
        let rows = try connection.query("SELECT version, name, sha256, applied_at FROM schema_migrations ORDER BY version")
        #expect(rows.rowCount == 3)
        #expect(rows.string(0, 1) == "0001_create_alpha.sql")
        // OPS-30: sha256 of the file's exact bytes (CRLF included).
        #expect(rows.string(1, 2) == SHA256.hex(Array(MigrationTests.files[2].text.utf8)))
        #expect(try rows.timestamp(0, 3) != nil)
    }

    @Test func aSecondRunAppliesNothing() throws {
        let migrator = try Migrator(migrations: migrations())
        _ = try migrator.migrate(on: connection)
        #expect(try migrator.migrate(on: connection) == [])
        #expect(try recordedVersions() == ["0001", "0002", "0010"])
    }

    @Test func twoMigratorsStartedTogetherApplyEachFileOnce() throws {
        // OPS-32: the advisory lock serialises them; the loser finds nothing pending. The first file
        // sleeps so the two runs surely overlap; every file would fail if it ran twice.
        var files = MigrationTests.files
        files[1].text = "SELECT pg_sleep(0.3);\n" + files[1].text
        let migrations = try self.migrations(files)
        let conninfo = self.conninfo
        let results = Collected<[String]>()
        let errors = Collected<String>()
        let start = DispatchSemaphore(value: 0)
        let threads = (0..<2).map { _ in
            BackgroundThread {
                do {
                    let connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
                    start.wait()
                    results.append(try Migrator(migrations: migrations).migrate(on: connection))
                } catch {
                    errors.append("\(error)")
                }
            }
        }
        start.signal()
        start.signal()
        threads.forEach { $0.wait() }
        #expect(errors.all.isEmpty, "\(errors.all)")
        #expect(results.all.flatMap { $0 }.sorted() == ["0001_create_alpha.sql", "0002_create_beta.sql", "0010_add_note.sql"])
        #expect(results.all.contains([]))
        #expect(try recordedVersions() == ["0001", "0002", "0010"])
        #expect(try connection.query("SELECT count(*) FROM alpha").int(0, 0) == 1)
    }

    @Test func aChangedFileStopsEverything() throws {
        let firstTwo = MigrationTests.files.filter { $0.name != "0010_add_note.sql" }
        #expect(try Migrator(migrations: migrations(firstTwo)).migrate(on: connection).count == 2)
        var files = firstTwo
        files[1].text += "-- edited after release\n"  // 0002_create_beta.sql
        files.append(("0011_more.sql", "CREATE TABLE gamma (id int);"))
        let error = #expect(throws: MigrationError.self) {
            try Migrator(migrations: migrations(files)).migrate(on: connection)
        }
        #expect(error == .changed("0002"))
        #expect(error?.description.contains("0002") == true)
        #expect(try !tableExists("gamma"))
        #expect(try recordedVersions() == ["0001", "0002"])
    }

    @Test func aRecordedVersionWithoutAFileStopsEverything() throws {
        _ = try Migrator(migrations: migrations()).migrate(on: connection)
        let fewer = MigrationTests.files.filter { $0.name != "0010_add_note.sql" }
            + [("0011_more.sql", "CREATE TABLE gamma (id int);")]
        let error = #expect(throws: MigrationError.self) {
            try Migrator(migrations: migrations(fewer)).migrate(on: connection)
        }
        #expect(error == .missing("0010"))
        #expect(try !tableExists("gamma"))
    }

    @Test func aFailingFileRollsBackCompletelyAndIsNamed() throws {
        let files = [
            MigrationTests.files[1],
            ("0002_broken.sql", "CREATE TABLE gamma (id int);\nCREATE TABLE delta (id int);\nSELECT 1/0;\n"),
            ("0003_after.sql", "CREATE TABLE epsilon (id int);"),
        ]
        let error = #expect(throws: MigrationError.self) {
            try Migrator(migrations: migrations(files)).migrate(on: connection)
        }
        guard case .failed(let file, let underlying)? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(file == "0002_broken.sql")
        #expect(underlying.sqlState == "22012")
        #expect(error?.description.contains("0002_broken.sql") == true)
        #expect(try tableExists("alpha"))
        #expect(try !tableExists("gamma") && !tableExists("delta") && !tableExists("epsilon"))
        #expect(try recordedVersions() == ["0001"])
        #expect(connection.transactionState == .idle)
        // The advisory lock was released: another session can take it at once.
        let other = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        #expect(try other.query("SELECT pg_try_advisory_lock(\(Migrator.advisoryLockKey))").bool(0, 0) == true)
    }

    @Test func aFileThatCommitsByItselfIsRefused() throws {
        let files = [("0001_commits.sql", "CREATE TABLE zeta (id int); COMMIT;")]
        let error = #expect(throws: MigrationError.self) {
            try Migrator(migrations: migrations(files)).migrate(on: connection)
        }
        guard case .failed(let file, _)? = error else {
            Issue.record("expected .failed, got \(String(describing: error))")
            return
        }
        #expect(file == "0001_commits.sql")
        #expect(try recordedVersions() == [])
    }

    @Test func statusListsEachFile() throws {
        let migrator = try Migrator(migrations: migrations())
        #expect(try migrator.status(on: connection).map(\.applied) == [false, false, false])
        #expect(try migrator.pendingCount(on: connection) == 3)
        let firstTwo = MigrationTests.files.filter { $0.name != "0010_add_note.sql" }
        _ = try Migrator(migrations: migrations(firstTwo)).migrate(on: connection)
        let status = try migrator.status(on: connection)
        #expect(status.map(\.migration.name) == ["0001_create_alpha.sql", "0002_create_beta.sql", "0010_add_note.sql"])
        #expect(status.map(\.applied) == [true, true, false])
        #expect(try migrator.pendingCount(on: connection) == 1)
    }

    @Test func statementTimeoutIsRestoredAfterMigrating() throws {
        let limited = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo, statementTimeoutMs: 1500))
        _ = try Migrator(migrations: migrations()).migrate(on: limited)
        #expect(try limited.query("SHOW statement_timeout").string(0, 0) == "1500ms")
    }

    @Test func loadingFromADirectory() throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("migrations-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        for (name, text) in MigrationTests.files + [("README.md", "not a migration"), ("0003_x.txt", "no")] {
            try Data(text.utf8).write(to: URL(fileURLWithPath: directory + "/" + name))
        }
        let loaded = try MigrationSource.load(directory: directory)
        #expect(loaded.map(\.name) == ["0001_create_alpha.sql", "0002_create_beta.sql", "0010_add_note.sql"])
        #expect(loaded.map(\.version) == ["0001", "0002", "0010"])
        #expect(loaded[1].text == MigrationTests.files[2].text)

        try Data("CREATE TABLE dup (id int);".utf8).write(to: URL(fileURLWithPath: directory + "/0001_duplicate.sql"))
        #expect(throws: MigrationError.duplicateVersion("0001")) { try MigrationSource.load(directory: directory) }
        try FileManager.default.removeItem(atPath: directory + "/0001_duplicate.sql")

        try Data([0x53, 0xFF, 0xFE]).write(to: URL(fileURLWithPath: directory + "/0004_binary.sql"))
        let error = #expect(throws: MigrationError.self) { try MigrationSource.load(directory: directory) }
        guard case .unreadable? = error else {
            Issue.record("expected .unreadable, got \(String(describing: error))")
            return
        }
        #expect(throws: MigrationError.self) { try MigrationSource.load(directory: directory + "/does-not-exist") }
    }

    @Test func embeddedSourcesSkipStrayNamesAndRejectDuplicates() throws {
        let loaded = try MigrationSource.embedded([("0002_b.sql", "b"), ("notes.txt", "x"), ("0001_a.sql", "a")])
        #expect(loaded.map(\.name) == ["0001_a.sql", "0002_b.sql"])
        #expect(loaded[0].sha256 == SHA256.hex(Array("a".utf8)))
        #expect(throws: MigrationError.duplicateVersion("0001")) {
            try MigrationSource.embedded([("0001_a.sql", "a"), ("0001_b.sql", "b")])
        }
    }
}
