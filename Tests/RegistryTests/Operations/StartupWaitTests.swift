import Foundation
import Testing
import TestSupport

/// OPS-66: at startup `serve` waits up to 60 s for the database, then exits 1.
@Suite("registry serve: waiting for the database at startup")
struct StartupWaitTests {
    /// `serve`'s environment with DATABASE_URL pointing at `database`.
    private static func environment(database: SilentListener) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DATABASE_") }
        environment["DATABASE_URL"] = "postgresql://registry@127.0.0.1:\(database.port)/registry"
        environment["PORT"] = String(freePort())
        return environment
    }

    @Test("OPS-66: a database host that accepts connections and never answers: exit 1 after 60 s, not later")
    func hangingDatabaseHost() throws {
        // A host that hangs is the hard case: each connection attempt blocks for libpq's
        // connect_timeout, so a wait that checks its deadline only between attempts overruns it.
        let database = SilentListener()
        let environment = Self.environment(database: database)
        let started = Date()
        let result = try TestRegistry.runCLI(["serve"], environment: environment)
        let waited = Date().timeIntervalSince(started)
        #expect(result.status == 1)
        #expect(waited >= 59.5 && waited < 61.5, "exited after \(waited) s")
        #expect(result.stderr.contains("database not reachable within 60 s"), "\(result.stderr.suffix(300))")
        #expect(result.stdout.contains("waiting for the database") || result.stderr.contains("waiting for the database"))
    }

    @Test("OPS-45/OPS-15: SIGTERM while serve waits for the database stops it at once with exit 0")
    func signalDuringStartup() throws {
        let database = SilentListener()
        let environment = Self.environment(database: database)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestRegistry.binaryPath())
        process.arguments = ["serve"]
        process.environment = environment
        let errors = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = errors
        try process.run()
        Thread.sleep(forTimeInterval: 1.5)
        let signalled = Date()
        process.terminate()  // SIGTERM
        let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        #expect(Date().timeIntervalSince(signalled) < 3)
        #expect(stderr.contains("stopped by a signal while waiting for the database"), "\(stderr.suffix(300))")
    }
}
