import CryptoSupport
import Foundation
import Testing
import TestSupport

/// The independent Python verifier (auditor.md AUD-55) against the registry's own chains.
@Suite("Tests/verifier/verify_chain.py")
struct IndependentVerifierTests {
    /// Events whose canonical text needs every escape of AUD-42 and non-ASCII identifiers.
    private func awkwardWorld() throws -> AuditWorld {
        let world = try AuditWorld.start()
        try world.registry.makeObject("test.edu/bäg ünï & (1)")
        try world.registry.makeFile("test.edu/bäg ünï & (1)/data/ä/b?.txt")
        try world.registry.appendEvents([
            TestRegistry.TestEvent(eventType: "fixity check", dateTime: "2024-05-01T13:04:59.999999Z",
                                   detail: "quote \" backslash \\ slash / tab \t lf \n cr \r bs \u{08} ff \u{0C} x01 \u{01} x1f \u{1F} del \u{7F} é 日本 😀 \u{2028}",
                                   outcome: "Failed", outcomeDetail: "sha256:abc", outcomeInformation: "Fixity did not match",
                                   object: "Go language crypto/sha256", agent: "http://golang.org/pkg/crypto/sha256/",
                                   objectIdentifier: "test.edu/bäg ünï & (1)", fileIdentifier: "test.edu/bäg ünï & (1)/data/ä/b?.txt"),
            TestRegistry.TestEvent(dateTime: "2024-05-01T13:00:00Z", objectIdentifier: "test.edu/bäg ünï & (1)"),
        ])
        return world
    }

    @Test("AUD-55: a clean export verifies bit for bit, one OK line per institution; file and stdin")
    func cleanExport() throws {
        let world = try awkwardWorld()
        let export = try IndependentVerifier.export(world.registry)
        #expect(String(decoding: export, as: UTF8.self).split(separator: "\n").count == 10)
        let result = try IndependentVerifier.run(file: export)
        #expect(result.status == 0, "\(result.stdout) \(result.stderr)")
        #expect(result.stdout == "OK other.org 1\nOK test.edu 9\n")
        let piped = try IndependentVerifier.run([], stdin: export)
        #expect(piped.status == 0 && piped.stdout == result.stdout)
        // The registry's own verification agrees.
        #expect(try world.registry.verify().status == 0)
        #expect(try IndependentVerifier.run(file: []).stdout == "")
    }

    @Test("AUD-55: a changed field, a rehashed field, a missing line and a malformed line are each reported; exit 1")
    func tamperedExports() throws {
        let world = try awkwardWorld()
        let lines = String(decoding: try IndependentVerifier.export(world.registry), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let third = try world.event("test.edu", 3)
        func verify(_ lines: [String]) throws -> IndependentVerifier.Result {
            try IndependentVerifier.run(file: Array((lines.map { $0 + "\n" }.joined()).utf8))
        }

        // Change one character of a canonical member (test.edu's third event is line 4).
        var changed = lines
        #expect(changed[3].contains(#""sequence":3,"#))
        changed[3] = changed[3].replacingOccurrences(of: "Object ingested #3", with: "Object ingested #4")
        let detail = try verify(changed)
        #expect(detail.status == 1)
        #expect(detail.stdout == "OK other.org 1\nBROKEN test.edu sequence=3 identifier=\(third) reason=entry_hash_mismatch\n")

        // A forger who also replaces the entry hash with the true hash of the changed text breaks the
        // chain hash instead (the changed canonical text is taken from the event's proof).
        let proof = try world.get("/api/v2/events/\(third)/proof", as: world.admin).jsonObject()
        let canonical = try #require(proof["canonical"] as? String)
        let forgedEntry = SHA256.hex(canonical.replacingOccurrences(of: "Object ingested #3", with: "Object ingested #4"))
        var rehashed = changed
        rehashed[3] = rehashed[3].replacingOccurrences(
            of: #""entry_hash":"[0-9a-f]{64}""#, with: #""entry_hash":"\#(forgedEntry)""#, options: .regularExpression)
        #expect(try verify(rehashed).stdout
                == "OK other.org 1\nBROKEN test.edu sequence=3 identifier=\(third) reason=chain_hash_mismatch\n")

        var removed = lines
        removed.remove(at: 5)
        let gap = try verify(removed)
        #expect(gap.status == 1)
        #expect(gap.stdout == "OK other.org 1\nBROKEN test.edu sequence=5 identifier=- reason=sequence_gap\n")

        var repeated = lines
        repeated.insert(lines[2], at: 3)
        #expect(try verify(repeated).stdout.contains("BROKEN test.edu sequence=2 identifier=\(try world.event("test.edu", 2)) reason=duplicate_sequence"))

        var malformed = lines
        malformed[1] = String(malformed[1].dropLast())
        let broken = try verify(malformed)
        #expect(broken.status == 1)
        #expect(broken.stdout.hasSuffix("BROKEN - line=2 reason=malformed_line\n"))

        // Tampering in the database shows up in the next export.
        try world.registry.tamper("UPDATE premis_events SET outcome = 'Success' WHERE identifier = $1::uuid",
                                  [try world.event("test.edu", 8)])
        let database = try IndependentVerifier.run(file: try IndependentVerifier.export(world.registry))
        #expect(database.status == 1)
        #expect(database.stdout.contains("BROKEN test.edu sequence=8 identifier=\(try world.event("test.edu", 8)) reason=entry_hash_mismatch"))
        #expect(try IndependentVerifier.run(["a", "b"]).status == 2)
    }
}
