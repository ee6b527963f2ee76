import CryptoSupport
import Foundation
import Formats
import Testing
import TestSupport

/// `GET /events/{uuid}/proof` (AUD-52) checked the way an auditor would (AUD-53).
@Suite("GET /events/{uuid}/proof")
struct EventProofTests {
    /// AUD-53: does `proof` lead to the recorded head (H, n)?
    static func proofHolds(_ proof: [String: Any], head: String, headSequence: Int) -> Bool {
        guard let canonical = proof["canonical"] as? String, let entry = proof["entry_hash"] as? String,
              let previous = proof["previous_chain_hash"] as? String, let chain = proof["chain_hash"] as? String,
              let following = proof["following_entry_hashes"] as? [String] else { return false }
        guard SHA256.hex(canonical) == entry, fold(previous, [entry]) == chain else { return false }
        return fold(chain, following) == head && proof["head_sequence"] as? Int == headSequence
    }

    @Test("AUD-52/53: a proof folds to the recorded head, and not to a forged one")
    func proofAgainstRecordedHead() throws {
        let world = try AuditWorld.start()
        let head = try world.get("/api/v2/audit/head", as: world.instAdmin).jsonObject()
        let recorded = try #require(head["chain_hash"] as? String)
        let identifier = try world.event("test.edu", 3)
        let response = try world.get("/api/v2/events/\(identifier.uppercased())/proof", as: world.instAdmin)
        #expect(response.status == 200)
        #expect(response.headers.values("Transfer-Encoding") == ["chunked"])
        #expect(response.headers.values("Content-Type") == ["application/json; charset=utf-8"])
        #expect(response.text.hasPrefix(#"{"institution":"test.edu","identifier":"\#(identifier)","sequence":3,"canonical":"{\"agent\":"#))
        let proof = try response.jsonObject()
        #expect(Array(proof.keys).sorted() == ["canonical", "chain_hash", "entry_hash", "following_entry_hashes", "head_chain_hash",
                                               "head_sequence", "identifier", "institution", "previous_chain_hash", "sequence"])
        #expect((proof["following_entry_hashes"] as? [String])?.count == 4)
        #expect(proof["head_chain_hash"] as? String == recorded)
        #expect(Self.proofHolds(proof, head: recorded, headSequence: 7))
        #expect(!Self.proofHolds(proof, head: SHA256.hex("forged"), headSequence: 7))
        #expect(!Self.proofHolds(proof, head: recorded, headSequence: 6))
        // The stored hashes are the ones in the proof.
        let stored = try world.registry.sql().query(
            "SELECT encode(entry_hash, 'hex'), encode(chain_hash, 'hex') FROM premis_events WHERE identifier = $1::uuid", [identifier])
        #expect(proof["entry_hash"] as? String == stored[0][0] && proof["chain_hash"] as? String == stored[0][1])
        // A proof of the first event starts from 32 zero bytes; one of the head event has nothing to fold.
        let first = try world.get("/member-api/v2/events/\(try world.event("test.edu", 1))/proof", as: world.instUser).jsonObject()
        #expect(first["previous_chain_hash"] as? String == String(repeating: "0", count: 64))
        #expect(Self.proofHolds(first, head: recorded, headSequence: 7))
        let last = try world.get("/api/v2/events/\(try world.event("test.edu", 7))/proof/", as: world.instAdmin)
        #expect(last.text.hasSuffix(#""head_sequence":7,"head_chain_hash":"\#(recorded)","following_entry_hashes":[]}"#))

        // Against an older recorded head: head_sequence chooses where the fold ends.
        let atFive = try world.registry.sql().scalar(
            "SELECT encode(chain_hash, 'hex') FROM premis_events WHERE identifier = $1::uuid", [try world.event("test.edu", 5)]) ?? ""
        let older = try world.get("/api/v2/events/\(identifier)/proof?head_sequence=5", as: world.admin).jsonObject()
        #expect((older["following_entry_hashes"] as? [String])?.count == 2)
        #expect(older["head_chain_hash"] as? String == atFive)
        #expect(Self.proofHolds(older, head: atFive, headSequence: 5))
        #expect(Self.proofHolds(try world.get("/api/v2/events/\(identifier)/proof?head_sequence=3", as: world.admin).jsonObject(),
                                head: proof["chain_hash"] as? String ?? "", headSequence: 3))
        let headOnly = try world.get("/api/v2/events/\(identifier)/proof", as: world.admin, method: "HEAD")
        #expect(headOnly.status == 200 && headOnly.body.isEmpty)
    }

    @Test("AUD-52: head_sequence must lie between the event's sequence and the head (400); parameters are checked")
    func headSequenceBounds() throws {
        let world = try AuditWorld.start()
        let identifier = try world.event("test.edu", 3)
        for (query, message) in [("head_sequence=2", "head_sequence must be between 3 and 7"),
                                 ("head_sequence=8", "head_sequence must be between 3 and 7"),
                                 ("head_sequence=-1", "head_sequence must be between 3 and 7"),
                                 ("head_sequence=x", "head_sequence must be between 3 and 7"),
                                 ("sequence=3", "unknown query parameter: sequence"),
                                 ("head_sequence=4&head_sequence=5", "parameter may not repeat: head_sequence")] {
            let response = try world.get("/api/v2/events/\(identifier)/proof?\(query)", as: world.instAdmin)
            #expect(response.status == 400, "\(query)")
            #expect(try response.jsonObject()["message"] as? String == message, "\(query)")
        }
        #expect(try world.get("/api/v2/events/\(identifier)/proof?head_sequence=", as: world.instAdmin).status == 200)
    }

    @Test("AUD-52/DOM-94..96a: shown exactly when the event's object may be shown; otherwise 404 like an unknown event")
    func visibility() throws {
        let world = try AuditWorld.start()
        let institutionLevel = try world.event("test.edu", 1)
        let consortia = try world.event("test.edu", 4)
        let restricted = try world.event("test.edu", 6)
        let unknown = "00000000-0000-4000-8000-000000000000"
        func status(_ identifier: String, _ caller: TestRegistry.Credentials) throws -> Int {
            try world.get("/api/v2/events/\(identifier)/proof", as: caller).status
        }
        #expect(try status(institutionLevel, world.instUser) == 200)
        #expect(try status(restricted, world.instAdmin) == 200)
        #expect(try status(restricted, world.admin) == 200)
        #expect(try status(consortia, world.otherUser) == 200)
        #expect(try status(consortia, world.otherAdmin) == 200)
        for (identifier, caller) in [(institutionLevel, world.otherAdmin), (restricted, world.instUser),
                                     (restricted, world.otherAdmin), (unknown, world.instAdmin)] {
            let response = try world.get("/api/v2/events/\(identifier)/proof?bogus=1", as: caller)
            #expect(response.status == 404)
            #expect(response.text == #"{"status":"error","message":"event not found: \#(identifier)"}"#)
        }
        // Not a UUID: unknown, not malformed (API-5); the message names the decoded identifier.
        let object = try world.get("/api/v2/events/test.edu%2Fbag1/proof", as: world.admin)
        #expect(object.status == 404)
        #expect(object.text == #"{"status":"error","message":"event not found: test.edu/bag1"}"#)
        #expect(try world.get("/api/v2/events/\(institutionLevel)/proof", as: world.admin, method: "POST").status == 405)
        #expect(try world.get("/member-api/v2/events/\(institutionLevel)/proof", as: world.admin, method: "DELETE").status == 405)
    }
}
