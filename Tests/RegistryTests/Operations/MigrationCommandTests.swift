import Foundation
import Synchronization
import Testing
import TestSupport

/// `registry migrate` and the migration rules of operations.md OPS-30..33, through the real binary.
@Suite("registry migrate")
struct MigrationCommandTests {
    private func environment(_ conninfo: String, _ extra: [String: String] = [:]) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = TestRegistry.url(fromConninfo: conninfo)
        environment["LOG_LEVEL"] = "warn"
        for (key, value) in extra { environment[key] = value }
        return environment
    }

    /// The files of the repository's migrations/ folder: the binary must carry exactly these (OPS-30).
    private static var repositoryMigrations: [String] {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../migrations")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".sql") }.sorted()
    }

    @Test("OPS-21/30: --status lists every file of migrations/ as pending, migrate applies them, then applied")
    func statusAndApply() throws {
        let files = Self.repositoryMigrations
        #expect(files.first == "0001_initial.sql")
        let conninfo = try TestPostgres.freshDatabase(prefix: "mig")
        let env = environment(conninfo)
        let before = try TestRegistry.runCLI(["migrate", "--status"], environment: env)
        #expect(before.status == 0)
        #expect(before.stdout == files.map { "pending \($0)\n" }.joined())
        let applied = try TestRegistry.runCLI(["migrate"], environment: env)
        #expect(applied.status == 0)
        #expect(applied.stdout == files.map { "\($0)\n" }.joined())
        let after = try TestRegistry.runCLI(["migrate", "--status"], environment: env)
        #expect(after.stdout == files.map { "applied \($0)\n" }.joined())
        #expect(try TestRegistry.runCLI(["migrate"], environment: env).stdout == "")
    }

    @Test("OPS-32: two processes started together apply each file exactly once")
    func concurrentMigrators() throws {
        let conninfo = try TestPostgres.freshDatabase(prefix: "mig")
        let env = environment(conninfo)
        let results = Mutex<[TestRegistry.CLIResult]>([])
        DispatchQueue.concurrentPerform(iterations: 2) { _ in
            if let result = try? TestRegistry.runCLI(["migrate"], environment: env) {
                results.withLock { $0.append(result) }
            }
        }
        let outputs = results.withLock { $0 }
        #expect(outputs.count == 2)
        #expect(outputs.allSatisfy { $0.status == 0 })
        #expect(outputs.map(\.stdout).sorted() == ["", Self.repositoryMigrations.map { "\($0)\n" }.joined()])
        let rows = try TestSQLConnection(conninfo: conninfo).scalar("SELECT count(*) FROM schema_migrations")
        #expect(rows == String(Self.repositoryMigrations.count))
    }

    @Test("OPS-31: a changed applied migration makes migrate and serve refuse (exit 1, naming the version)")
    func changedMigrationRefuses() throws {
        let directory = NSTemporaryDirectory() + "migrations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let file = directory + "/0001_first.sql"
        try "CREATE TABLE first_table (id bigint);\n".write(toFile: file, atomically: true, encoding: .utf8)
        let conninfo = try TestPostgres.freshDatabase(prefix: "mig")
        let env = environment(conninfo, ["MIGRATIONS_DIR": directory])
        #expect(try TestRegistry.runCLI(["migrate"], environment: env).status == 0)
        try "CREATE TABLE first_table (id bigint, changed text);\n".write(toFile: file, atomically: true, encoding: .utf8)
        let refused = try TestRegistry.runCLI(["migrate"], environment: env)
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("0001"))
        let status = try TestRegistry.runCLI(["migrate", "--status"], environment: env)
        #expect(status.status == 1, "--status refuses too, instead of listing the changed file as applied")
        #expect(status.stderr.contains("0001"))
        var serveEnv = env
        serveEnv["PORT"] = String(freePort())
        let serve = try TestRegistry.runCLI(["serve"], environment: serveEnv)
        #expect(serve.status == 1)
        #expect(serve.stderr.contains("0001"))
    }

    @Test("OPS-30: a failing migration rolls back completely and names the file")
    func failingMigrationRollsBack() throws {
        let directory = NSTemporaryDirectory() + "migrations-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try "CREATE TABLE half_done (id bigint);\nSELECT no_such_function();\n"
            .write(toFile: directory + "/0001_broken.sql", atomically: true, encoding: .utf8)
        let conninfo = try TestPostgres.freshDatabase(prefix: "mig")
        let result = try TestRegistry.runCLI(["migrate"], environment: environment(conninfo, ["MIGRATIONS_DIR": directory]))
        #expect(result.status == 1)
        #expect(result.stderr.contains("0001_broken.sql"))
        let sql = try TestSQLConnection(conninfo: conninfo)
        #expect(try sql.scalar("SELECT to_regclass('half_done') IS NULL") == "t")
        #expect(try sql.scalar("SELECT count(*) FROM schema_migrations") == "0")
    }

    @Test("OPS-33: with MIGRATE_ON_START=false, serve refuses to start while migrations are pending")
    func serveRefusesPending() throws {
        let conninfo = try TestPostgres.freshDatabase(prefix: "mig")
        var env = environment(conninfo, ["MIGRATE_ON_START": "false"])
        env["PORT"] = String(freePort())
        let result = try TestRegistry.runCLI(["serve"], environment: env)
        #expect(result.status == 1)
        #expect(result.stderr.contains("pending"))
    }
}
