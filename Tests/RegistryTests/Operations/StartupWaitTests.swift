import Foundation
import HTTPServer
import RegistryApp
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

    @Test("OPS-66: the wait keeps its deadline against a host that never answers (one connect attempt blocks 5 s)")
    func waitKeepsItsDeadline() throws {
        // A host that hangs is the hard case: each connection attempt blocks for libpq's
        // connect_timeout (5 s), so a wait that checks its deadline only between attempts overruns
        // a 2 s deadline by 3 s or more.
        let database = SilentListener()
        let configuration = try RegistryConfiguration.load(from: Self.environment(database: database))
        let started = Date()
        #expect(throws: CommandFailure.self) {
            _ = try DatabaseRuntime.open(configuration, environment: [:], logger: JSONLogger(level: .error, fileDescriptor: 2),
                                         waitSeconds: 2)
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited >= 1.9 && waited < 3.5, "returned after \(waited) s")
    }

    @Test("OPS-66: serve against a database host that never answers exits 1 after 60 s")
    func hangingDatabaseHost() throws {
        let database = SilentListener()
        let started = Date()
        let result = try TestRegistry.runCLI(["serve"], environment: Self.environment(database: database))
        let waited = Date().timeIntervalSince(started)
        #expect(result.status == 1)
        // Process start and exit around the 60 s wait; the deadline itself is the test above's.
        #expect(waited >= 59.5 && waited < 63, "exited after \(waited) s")
        #expect(result.stderr.contains("database not reachable within 60 s"), "\(result.stderr.suffix(300))")
        #expect(result.stdout.contains("waiting for the database") || result.stderr.contains("waiting for the database"))
    }

    @Test("OPS-45/OPS-15: SIGTERM while serve waits for the database stops it at once with exit 0")
    func signalDuringStartup() throws {
        let database = SilentListener()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try TestRegistry.binaryPath())
        process.arguments = ["serve"]
        process.environment = Self.environment(database: database)
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // The first log line is written after the signal handlers are in place.
        var logged = ""
        let deadline = Date().addingTimeInterval(20)
        while !logged.contains(#""msg":"starting""#) && Date() < deadline {
            logged += String(decoding: output.fileHandleForReading.availableData, as: UTF8.self)
        }
        #expect(logged.contains(#""msg":"starting""#))
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
