import Foundation
import Testing
import TestSupport

/// `registry audit verify` against real chains (operations.md OPS-27, auditor.md AUD-60..63).
@Suite("registry audit verify")
struct AuditVerifyTests {
    /// Three institutions (one without events); test.edu has `count` events on two objects.
    private func registryWithChains(count: Int = 6) throws -> TestRegistry {
        let registry = try TestRegistry.start()
        for institution in ["test.edu", "a.org", "a-b.edu", "empty.edu"] { try registry.makeInstitution(institution) }
        try registry.makeObject("test.edu/bag1")
        try registry.makeObject("test.edu/bag2", access: "restricted")
        try registry.makeFile("test.edu/bag1/data/a b.txt")
        try registry.makeObject("a.org/x")
        try registry.makeObject("a-b.edu/y")
        let half = count / 2
        try registry.appendEvents(TestRegistry.events(half, object: "test.edu/bag1"))
        try registry.appendEvents([TestRegistry.TestEvent(eventType: "fixity check", detail: "Fixity \"checked\"\n\u{01}é",
                                                          outcome: "Failed", outcomeInformation: "Fixity did not match",
                                                          objectIdentifier: "test.edu/bag1",
                                                          fileIdentifier: "test.edu/bag1/data/a b.txt")])
        try registry.appendEvents(TestRegistry.events(count - half - 1, object: "test.edu/bag2"))
        try registry.appendEvents(TestRegistry.events(2, object: "a.org/x"))
        try registry.appendEvents(TestRegistry.events(1, object: "a-b.edu/y"))
        return registry
    }

    @Test("AUD-60/62: a clean database verifies OK, one line per institution in identifier byte order, exit 0")
    func cleanChains() throws {
        let registry = try registryWithChains()
        let result = try registry.verify()
        #expect(result.status == 0, "\(result.stderr)")
        let output = lines(result.stdout)
        #expect(output.map { $0.split(separator: " ")[1] } == ["a-b.edu", "a.org", "empty.edu", "test.edu"])
        #expect(output[2] == "OK empty.edu sequence=0 head=\(String(repeating: "0", count: 64))")
        let head = try registry.recordedHead("test.edu").split(separator: "@")
        #expect(output[3] == "OK test.edu sequence=6 head=\(head[0])")
        #expect(head[1] == "6")
        let one = try registry.verify(["--institution", "a.org"])
        #expect(one.status == 0)
        #expect(lines(one.stdout).count == 1 && one.stdout.hasPrefix("OK a.org sequence=2 head="))
    }

    @Test("AUD-63, AUD-62: a changed detail is entry_hash_mismatch at that sequence; on failure only BROKEN lines; exit 1")
    func changedDetail() throws {
        let registry = try registryWithChains()
        let identifier = try registry.eventIdentifier("test.edu", 3)
        try registry.tamper("UPDATE premis_events SET detail = detail || '!' WHERE identifier = $1::uuid", [identifier])
        let result = try registry.verify()
        #expect(result.status == 1)
        #expect(result.stdout == "BROKEN test.edu sequence=3 identifier=\(identifier) reason=entry_hash_mismatch\n")
    }

    @Test("AUD-63: a changed detail with a matching new entry_hash is chain_hash_mismatch")
    func changedDetailAndEntryHash() throws {
        let registry = try registryWithChains()
        let identifier = try registry.eventIdentifier("test.edu", 4)
        try registry.tamper("UPDATE premis_events SET outcome_detail = 'rewritten' WHERE identifier = $1::uuid", [identifier])
        // Recompute only this event's entry hash (the rewrite of AUD-63), leaving every chain hash.
        try registry.rehashEntry(identifier)
        let result = try registry.verify(["--institution", "test.edu"])
        #expect(result.status == 1)
        #expect(result.stdout == "BROKEN test.edu sequence=4 identifier=\(identifier) reason=chain_hash_mismatch\n")
    }

    @Test("AUD-61/63: a consistent rewrite passes plain verify but not --from-head with a head recorded before it")
    func consistentRewrite() throws {
        let registry = try registryWithChains()
        let recordedAt5 = try registry.sql().scalar("""
            SELECT encode(e.chain_hash, 'hex') || '@5' FROM premis_events e JOIN institutions i ON i.id = e.institution_id
            WHERE i.identifier = 'test.edu' AND e.sequence = 5
            """) ?? ""
        let recordedHead = try registry.recordedHead("test.edu")
        #expect(try registry.verify(["--institution", "test.edu", "--from-head", recordedAt5]).status == 0)
        #expect(try registry.verify(["--institution", "test.edu", "--from-head", recordedHead]).status == 0)

        let identifier = try registry.eventIdentifier("test.edu", 2)
        try registry.tamper("UPDATE premis_events SET agent = 'forged agent' WHERE identifier = $1::uuid", [identifier])
        try registry.rehashChain("test.edu")
        #expect(try registry.verify().status == 0)
        let atFive = try registry.verify(["--institution", "test.edu", "--from-head", recordedAt5])
        #expect(atFive.status == 1)
        #expect(atFive.stdout == "BROKEN test.edu sequence=5 identifier=\(try registry.eventIdentifier("test.edu", 5)) reason=recorded_head_mismatch\n")
        let atHead = try registry.verify(["--institution", "test.edu", "--from-head", recordedHead])
        #expect(atHead.stdout == "BROKEN test.edu sequence=6 identifier=\(try registry.eventIdentifier("test.edu", 6)) reason=recorded_head_mismatch\n")
        // A head recorded before the changed event is still on the chain.
        let recordedAt1 = try registry.sql().scalar("""
            SELECT encode(chain_hash, 'hex') || '@1' FROM premis_events WHERE sequence = 1
              AND institution_id = (SELECT id FROM institutions WHERE identifier = 'test.edu')
            """) ?? ""
        #expect(try registry.verify(["--institution", "test.edu", "--from-head", recordedAt1]).status == 0)
    }

    @Test("AUD-63: deleting the last event is head_mismatch at n with identifier -; a middle one sequence_gap")
    func deletedEvents() throws {
        let registry = try registryWithChains()
        try registry.tamper("DELETE FROM premis_events WHERE identifier = $1::uuid", [try registry.eventIdentifier("test.edu", 6)])
        let last = try registry.verify(["--institution", "test.edu"])
        #expect(last.status == 1)
        #expect(last.stdout == "BROKEN test.edu sequence=6 identifier=- reason=head_mismatch\n")

        try registry.tamper("DELETE FROM premis_events WHERE identifier = $1::uuid", [try registry.eventIdentifier("a.org", 1)])
        let middle = try registry.verify()
        #expect(middle.status == 1)
        #expect(lines(middle.stdout) == [
            "BROKEN a.org sequence=1 identifier=- reason=sequence_gap",
            "BROKEN test.edu sequence=6 identifier=- reason=head_mismatch",
        ])
    }

    @Test("AUD-62: a deleted middle event of a longer chain is sequence_gap at k")
    func middleGap() throws {
        let registry = try registryWithChains()
        try registry.tamper("DELETE FROM premis_events WHERE identifier = $1::uuid", [try registry.eventIdentifier("test.edu", 4)])
        let result = try registry.verify(["--institution", "test.edu"])
        #expect(result.status == 1)
        #expect(result.stdout == "BROKEN test.edu sequence=4 identifier=- reason=sequence_gap\n")
    }

    @Test("AUD-62: duplicate_sequence names the copy with the higher id")
    func duplicateSequence() throws {
        let registry = try registryWithChains()
        try registry.sql().query("DROP INDEX premis_events_institution_sequence_key")
        let copy = try registry.sql().scalar("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, outcome_information,
                object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id,
                generic_file_identifier, institution_id, sequence, entry_hash, chain_hash, created_at)
            SELECT gen_random_uuid(), event_type, date_time, outcome, detail, outcome_detail, outcome_information, object,
                agent, intellectual_object_id, intellectual_object_identifier, generic_file_id, generic_file_identifier,
                institution_id, sequence, entry_hash, chain_hash, created_at
            FROM premis_events WHERE sequence = 2 AND institution_id = (SELECT id FROM institutions WHERE identifier = 'test.edu')
            RETURNING identifier::text
            """) ?? ""
        let result = try registry.verify(["--institution", "test.edu"])
        #expect(result.status == 1)
        #expect(result.stdout == "BROKEN test.edu sequence=2 identifier=\(copy) reason=duplicate_sequence\n")
    }

    @Test("AUD-61: --from-head beyond the chain is recorded_head_beyond_chain; SEQ 0 needs 64 zeros")
    func recordedHeadLimits() throws {
        let registry = try registryWithChains()
        let zeros = String(repeating: "0", count: 64)
        #expect(try registry.verify(["--institution", "test.edu", "--from-head", "\(zeros)@0"]).status == 0)
        let notZero = try registry.verify(["--institution", "test.edu", "--from-head", "\(String(repeating: "1", count: 64))@0"])
        #expect(notZero.status == 1)
        #expect(notZero.stdout == "BROKEN test.edu sequence=0 identifier=- reason=recorded_head_mismatch\n")
        let beyond = try registry.verify(["--institution", "test.edu", "--from-head", "\(zeros)@7"])
        #expect(beyond.status == 1)
        #expect(beyond.stdout == "BROKEN test.edu sequence=7 identifier=- reason=recorded_head_beyond_chain\n")
        // The chain grew after the head was recorded: still passes (it continues past SEQ).
        let recorded = try registry.recordedHead("test.edu")
        try registry.appendEvents(TestRegistry.events(3, object: "test.edu/bag1"))
        let grown = try registry.verify(["--institution", "test.edu", "--from-head", recorded])
        #expect(grown.status == 0)
        #expect(grown.stdout.hasPrefix("OK test.edu sequence=9 head="))
    }

    @Test("OPS-27: usage errors exit 2 before touching the database; an unknown institution exits 1")
    func usageErrors() throws {
        let registry = try registryWithChains(count: 2)
        let zeros = String(repeating: "0", count: 64)
        for arguments in [["--from-head", "\(zeros)@0"], ["--institution", "test.edu", "--from-head", "abc@1"],
                          ["--institution", "test.edu", "--from-head", "\(zeros)"], ["--institution", "test.edu", "--from-head", "\(zeros)@x"],
                          ["--bogus"], ["--institution"], ["extra"]] {
            let result = try registry.verify(arguments)
            #expect(result.status == 2, "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
        let unknown = try registry.verify(["--institution", "nope.edu"])
        #expect(unknown.status == 1)
        #expect(unknown.stdout.isEmpty)
        #expect(unknown.stderr.contains("institution not found: nope.edu"))
    }
}
