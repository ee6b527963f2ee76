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

    @Test("OPS-21: --status lists pending, migrate applies, then --status lists applied")
    func statusAndApply() throws {
        let conninfo = try TestPostgres.freshDatabase(prefix: "mig")
        let env = environment(conninfo)
        let before = try TestRegistry.runCLI(["migrate", "--status"], environment: env)
        #expect(before.status == 0)
        #expect(before.stdout == "pending 0001_initial.sql\n")
        let applied = try TestRegistry.runCLI(["migrate"], environment: env)
        #expect(applied.status == 0)
        #expect(applied.stdout == "0001_initial.sql\n")
        let after = try TestRegistry.runCLI(["migrate", "--status"], environment: env)
        #expect(after.stdout == "applied 0001_initial.sql\n")
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
        #expect(outputs.map(\.stdout).sorted() == ["", "0001_initial.sql\n"])
        let rows = try TestSQLConnection(conninfo: conninfo).scalar("SELECT count(*) FROM schema_migrations")
        #expect(rows == "1")
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
