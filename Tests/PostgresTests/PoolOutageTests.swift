import Foundation
import Postgres
import TestSupport
import Testing
import TestSupport

/// OPS-65: with the database down, requests fail fast with a transient error; once it is back, the
/// same pool recovers without a restart.
@Suite struct PoolOutageTests {
    @Test func aStoppedClusterFailsFastAndTheSamePoolRecovers() throws {
        let cluster = try TestCluster.dedicated()
        defer { cluster.remove() }
        let pool = PostgresPool(PostgresPoolConfiguration(
            connection: PGConnectionSettings(connectionString: cluster.conninfo(database: "postgres")),
            maximumConnections: 3, acquireTimeout: .seconds(2)))
        #expect(try pool.withConnection { try $0.query("SELECT \(1)").int(0, 0) } == 1)

        try cluster.stop()
        var kinds: [PGError.Kind] = []
        for _ in 0..<10 {
            let seconds = measure {
                do {
                    try pool.withConnection { _ = try $0.query("SELECT \(1)") }
                    kinds.append(.other)  // must not succeed
                } catch let error as PGError {
                    #expect(error.isTransient, "\(error.debugDescription)")
                    kinds.append(error.kind)
                } catch {
                    Issue.record("unexpected \(error)")
                }
            }
            #expect(seconds < 1.0, "a failure took \(seconds) s")
        }
        #expect(kinds.allSatisfy { $0 == .connectionFailure || $0 == .unavailable }, "\(kinds)")
        #expect(kinds.contains(.unavailable), "the circuit never opened: \(kinds)")
        #expect(pool.stats().unavailableTotal > 0)
        #expect(!pool.ping(timeout: .seconds(1)))

        try cluster.start()
        let deadline = ContinuousClock.now + .seconds(15)
        var recovered = false
        while !recovered && ContinuousClock.now < deadline {
            recovered = (try? pool.withConnection { try $0.query("SELECT \(2)").int(0, 0) }) == 2
            if !recovered { Thread.sleep(forTimeInterval: 0.1) }
        }
        #expect(recovered)
        for _ in 0..<20 {
            #expect(try pool.withConnection { try $0.query("SELECT \(3)").int(0, 0) } == 3)
        }
        #expect(pool.ping(timeout: .seconds(1)))
    }
}
