import Foundation
import Testing
import TestSupport

/// OPS-11: binary discovery, first hit wins; a `PG_BIN_DIR` without the binaries is passed over.
@Suite("Embedded PostgreSQL: binary discovery")
struct BinaryDiscoveryTests {
    @Test("OPS-11: a PG_BIN_DIR without initdb/pg_ctl/postgres is passed over, and the log says so")
    func wrongBinDirectoryIsNamed() throws {
        let dataDirectory = NSTemporaryDirectory() + "registry-test-bindir-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: dataDirectory) }
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DATABASE_") }
        environment["REGISTRY_DATA_DIR"] = dataDirectory
        environment["PG_BIN_DIR"] = "/nonexistent/pg/bin"
        environment["LOG_LEVEL"] = "info"
        // `migrate` opens the database as `serve` does: it starts (and then stops) the embedded cluster.
        let result = try TestRegistry.runCLI(["migrate"], environment: environment)
        #expect(result.status == 0, "\(result.stderr.suffix(500))")
        let output = result.stdout + result.stderr
        #expect(output.contains("PG_BIN_DIR holds no initdb, pg_ctl and postgres; using another installation"))
        #expect(output.contains("/nonexistent/pg/bin"))
    }
}
