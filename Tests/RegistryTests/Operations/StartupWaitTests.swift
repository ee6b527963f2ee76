import Foundation
import Testing
import TestSupport

/// OPS-66: at startup `serve` waits up to 60 s for the database, then exits 1.
@Suite("registry serve: waiting for the database at startup")
struct StartupWaitTests {
    @Test("OPS-66: a database host that accepts connections and never answers: exit 1 after 60 s, not later")
    func hangingDatabaseHost() throws {
        // A host that hangs is the hard case: each connection attempt blocks for libpq's
        // connect_timeout, so a wait that checks its deadline only between attempts overruns it.
        let database = SilentListener()
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DATABASE_") }
        environment["DATABASE_URL"] = "postgresql://registry@127.0.0.1:\(database.port)/registry"
        environment["PORT"] = String(freePort())
        let started = Date()
        let result = try TestRegistry.runCLI(["serve"], environment: environment)
        let waited = Date().timeIntervalSince(started)
        #expect(result.status == 1)
        #expect(waited >= 59.5 && waited < 61.5, "exited after \(waited) s")
        #expect(result.stderr.contains("database not reachable within 60 s"), "\(result.stderr.suffix(300))")
        #expect(result.stdout.contains("waiting for the database") || result.stderr.contains("waiting for the database"))
    }
}
