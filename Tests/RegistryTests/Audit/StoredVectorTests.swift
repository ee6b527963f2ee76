import Foundation
import Testing
import TestSupport

/// auditor.md §5.4 end to end: the two vector events stored as rows, then read back by every
/// verifier of this slice — the CLI, the heads route, proofs and the Python verifier.
@Suite("§5.4 vectors stored in the database")
struct StoredVectorTests {
    @Test("AUD-43/51/52/60: verify, combined_hash, proofs and the independent verifier reproduce §5.4 exactly")
    func storedVectors() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("example.org")
        try registry.makeInstitution("test.edu")
        try registry.makeObject("test.edu/bag1")
        try registry.makeFile("test.edu/bag1/data/a b.txt")
        let sql = try registry.sql()
        try sql.query("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, outcome_information,
                object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id, generic_file_identifier,
                institution_id, sequence, entry_hash, chain_hash, created_at)
            SELECT '6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11', 'creation', '2024-05-01T13:02:03.123456Z', 'Success', 'Object created',
                   'Intellectual object created', NULL, 'APTrust exchange', 'https://github.com/APTrust/exchange', o.id,
                   o.identifier, NULL, NULL, o.institution_id, 1, decode($1, 'hex'), decode($2, 'hex'), '2024-05-01T13:02:04.000001Z'
            FROM intellectual_objects o WHERE o.identifier = 'test.edu/bag1'
            """, [AuditVectors.entry1, AuditVectors.chain1])
        try sql.query("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, outcome_information,
                object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id, generic_file_identifier,
                institution_id, sequence, entry_hash, chain_hash, created_at)
            SELECT '0E8B7A52-3C1D-4F6A-8B2E-9D0C1F2A3B4C', 'fixity check', '2024-05-01T13:04:59.999999Z', 'Failed', $3,
                   'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08', 'Fixity did not match',
                   'Go language crypto/sha256', 'http://golang.org/pkg/crypto/sha256/', f.intellectual_object_id,
                   f.intellectual_object_identifier, f.id, f.identifier, f.institution_id, 2, decode($1, 'hex'),
                   decode($2, 'hex'), '2024-05-01T13:05:00Z'
            FROM generic_files f WHERE f.identifier = 'test.edu/bag1/data/a b.txt'
            """, [AuditVectors.entry2, AuditVectors.chain2, "Fixity check against registered hash\n\"café\"/tab\there\u{01}"])
        try sql.query("""
            UPDATE event_chain_heads SET sequence = 2, chain_hash = decode($1, 'hex')
            WHERE institution_id = (SELECT id FROM institutions WHERE identifier = 'test.edu')
            """, [AuditVectors.chain2])

        let verify = try registry.verify()
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(verify.stdout == "OK example.org sequence=0 head=\(String(repeating: "0", count: 64))\n"
                + "OK test.edu sequence=2 head=\(AuditVectors.chain2)\n")

        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let client = try registry.client()
        let heads = try client.request(method: "GET", path: "/api/v2/audit/heads", headers: admin.headers).jsonObject()
        #expect(heads["combined_hash"] as? String == AuditVectors.combined)

        let second = try client.request(method: "GET", path: "/api/v2/events/0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c/proof",
                                        headers: admin.headers).jsonObject()
        #expect(second["canonical"] as? String == AuditVectors.event2Canonical)
        #expect(second["entry_hash"] as? String == AuditVectors.entry2)
        #expect(second["previous_chain_hash"] as? String == AuditVectors.chain1)
        #expect(second["chain_hash"] as? String == AuditVectors.chain2)
        let first = try client.request(method: "GET", path: "/api/v2/events/6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11/proof",
                                       headers: admin.headers).jsonObject()
        #expect(first["canonical"] as? String == AuditVectors.event1Canonical)
        #expect(first["following_entry_hashes"] as? [String] == [AuditVectors.entry2])
        #expect(first["head_chain_hash"] as? String == AuditVectors.chain2)

        let python = try IndependentVerifier.run(file: try IndependentVerifier.export(registry))
        #expect(python.status == 0)
        #expect(python.stdout == "OK test.edu 2\n")
    }
}
