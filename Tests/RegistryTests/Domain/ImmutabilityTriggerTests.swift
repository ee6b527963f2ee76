import Foundation
import Testing
import TestSupport

/// DOM-80, DOM-81, DOM-84 (and OPS-34: migration 0001 creates the triggers): whatever session
/// writes to the database, events and checksums are never changed or removed, objects and files are
/// never hard-deleted, and the audit log only grows. Checked in SQL, below the API, where a
/// mistaken statement of ours or an operator's would land.
@Suite("Domain: immutability triggers")
struct ImmutabilityTriggerTests {
    @Test("DOM-80/81/84: UPDATE, DELETE and TRUNCATE are refused by the triggers; every row stays")
    func triggersRefuseChanges() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 2)
        let checksum = try world.send("POST", "/api/v2/checksums/test.edu%2Fbag%2Fdata%2Ffile001.txt", as: world.admin,
                                      json: ["algorithm": "sha256", "datetime": "2024-05-01T13:02:03Z",
                                             "digest": String(repeating: "a", count: 64)])
        #expect(checksum.status == 201)
        let tables = ["premis_events", "checksums", "intellectual_objects", "generic_files", "audit_log"]
        func counts() throws -> [Int] { try tables.map { try world.count("SELECT count(*) FROM \($0)") } }
        let before = try counts()
        #expect(before.allSatisfy { $0 > 0 }, "\(before)")

        let refused = [
            ("UPDATE premis_events SET detail = 'rewritten'", "DOM-80"),
            ("DELETE FROM premis_events", "DOM-80"),
            ("TRUNCATE premis_events CASCADE", "DOM-"),
            ("UPDATE checksums SET digest = repeat('b', 64)", "DOM-80"),
            ("DELETE FROM checksums", "DOM-80"),
            ("TRUNCATE checksums CASCADE", "DOM-"),
            ("DELETE FROM generic_files", "DOM-81"),
            ("TRUNCATE generic_files CASCADE", "DOM-"),
            ("DELETE FROM intellectual_objects", "DOM-81"),
            ("TRUNCATE intellectual_objects CASCADE", "DOM-"),
            ("UPDATE audit_log SET action = 'rewritten'", "DOM-84"),
            ("DELETE FROM audit_log", "DOM-84"),
            ("TRUNCATE audit_log CASCADE", "DOM-"),
        ]
        let sql = try world.registry.sql()
        for (statement, requirement) in refused {
            do {
                try sql.query(statement)
                Issue.record("accepted: \(statement)")
            } catch {
                let message = String(describing: error)
                #expect(message.contains("is not allowed") && message.contains(requirement), "\(statement): \(message)")
            }
        }
        #expect(try counts() == before)
        #expect(try world.count("SELECT count(*) FROM premis_events WHERE detail = 'rewritten'") == 0)
        // Soft deletion is the way (DOM-81): a state change of an object or file is allowed.
        try sql.query("UPDATE generic_files SET state = 'D' WHERE identifier = 'test.edu/bag/data/file002.txt'")
        #expect(try world.count("SELECT count(*) FROM generic_files WHERE state = 'D'") == 1)
    }
}
