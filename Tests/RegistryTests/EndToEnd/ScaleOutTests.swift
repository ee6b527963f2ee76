import Foundation
import Synchronization
import Testing
import TestSupport

/// operations.md OPS-70: processes are stateless; two `serve` processes on one database behave as one.
@Suite("Scale-out: two processes, one database")
struct ScaleOutTests {
    @Test("OPS-70/AUD-46: 1,000 event POSTs spread over two processes keep one gap-free chain")
    func eventsOverTwoProcesses() throws {
        let first = try TestRegistry.start()
        let second = try TestRegistry.start(conninfo: first.conninfo)
        try first.makeInstitution("test.edu")
        let admin = try first.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        try first.makeObject("test.edu/bag")
        let failures = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 20) { client in
            let registry = client % 2 == 0 ? first : second
            guard let worker = try? WorkerClient(registry, admin) else {
                failures.withLock { $0 += 1 }
                return
            }
            for _ in 0..<50 {
                let event = IngestSequenceTests.event("fixity check", object: "test.edu/bag", file: nil)
                if (try? worker.call("POST", "/api/v2/events", event).status) != 201 { failures.withLock { $0 += 1 } }
            }
        }
        #expect(failures.withLock { $0 } == 0)
        let sql = try first.sql()
        #expect(try sql.scalar("SELECT count(*) FROM premis_events") == "1000")
        #expect(try sql.scalar("SELECT min(sequence) || '..' || max(sequence) || ' ' || count(DISTINCT sequence) FROM premis_events")
                == "1..1000 1000")
        #expect(try sql.scalar("""
            SELECT h.sequence = 1000 AND h.chain_hash = e.chain_hash FROM event_chain_heads h
            JOIN premis_events e ON e.institution_id = h.institution_id AND e.sequence = h.sequence
            """) == "t")
        let verify = try first.cli(["audit", "verify", "--institution", "test.edu"])
        #expect(verify.status == 0)
        #expect(verify.stdout.hasPrefix("OK test.edu sequence=1000 "))
    }
}
