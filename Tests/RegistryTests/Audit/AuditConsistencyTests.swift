import CryptoSupport
import Foundation
import Formats
import Testing
import TestSupport

/// `GET /audit/consistency` (AUD-54): the later log extends the earlier one.
@Suite("GET /audit/consistency")
struct AuditConsistencyTests {
    @Test("AUD-54: folding entry_hashes from a head recorded at a gives the head recorded later at b")
    func extendsRecordedHead() throws {
        let world = try AuditWorld.start()
        let first = try world.get("/api/v2/audit/head", as: world.instUser).jsonObject()
        let firstHash = try #require(first["chain_hash"] as? String)
        try world.registry.appendEvents(TestRegistry.events(4, object: "test.edu/bag1"))
        let second = try world.get("/api/v2/audit/head?institution=test.edu", as: world.admin).jsonObject()
        let secondHash = try #require(second["chain_hash"] as? String)
        #expect(second["sequence"] as? Int == 11)

        let response = try world.get("/api/v2/audit/consistency?institution=test.edu&from_sequence=7&to_sequence=11",
                                     as: world.instUser)
        #expect(response.status == 200)
        #expect(response.text.hasPrefix(#"{"institution":"test.edu","from_sequence":7,"from_chain_hash":"\#(firstHash)","to_sequence":11,"to_chain_hash":"\#(secondHash)","entry_hashes":["#))
        let body = try response.jsonObject()
        let hashes = try #require(body["entry_hashes"] as? [String])
        #expect(hashes.count == 4)
        #expect(fold(firstHash, hashes) == secondHash)
        // to_sequence defaults to the head; from 0 starts at 32 zero bytes.
        let whole = try world.get("/member-api/v2/audit/consistency?from_sequence=0", as: world.instAdmin).jsonObject()
        #expect(whole["to_sequence"] as? Int == 11)
        #expect(whole["from_chain_hash"] as? String == String(repeating: "0", count: 64))
        #expect(fold(String(repeating: "0", count: 64), whole["entry_hashes"] as? [String] ?? []) == secondHash)
        // An empty range.
        let none = try world.get("/api/v2/audit/consistency?from_sequence=11", as: world.instAdmin)
        #expect(none.text.hasSuffix(#""to_sequence":11,"to_chain_hash":"\#(secondHash)","entry_hashes":[]}"#))
    }

    @Test("AUD-54/AUD-64: after a consistent rewrite the earlier recorded head is no longer on the chain")
    func rewriteIsDetected() throws {
        let world = try AuditWorld.start()
        let recorded = try world.get("/api/v2/audit/head", as: world.instAdmin).jsonObject()["chain_hash"] as? String
        try world.registry.tamper("UPDATE premis_events SET detail = 'rewritten' WHERE identifier = $1::uuid",
                                  [try world.event("test.edu", 2)])
        try world.registry.rehashChain("test.edu")
        let body = try world.get("/api/v2/audit/consistency?from_sequence=7", as: world.instAdmin).jsonObject()
        #expect(body["from_chain_hash"] as? String != recorded)
        let proof = try world.get("/api/v2/events/\(try world.event("test.edu", 1))/proof", as: world.instAdmin).jsonObject()
        #expect(!EventProofTests.proofHolds(proof, head: recorded ?? "", headSequence: 7))
    }

    @Test("AUD-54: 0 ≤ a ≤ b ≤ head, integers (400); institution as in AUD-50 (404 before 400)")
    func parameters() throws {
        let world = try AuditWorld.start()
        for (query, message) in [("", "from_sequence is required"), ("from_sequence=", "from_sequence is required"),
                                 ("from_sequence=x", "from_sequence must be a non-negative integer"),
                                 ("from_sequence=-1", "from_sequence must be a non-negative integer"),
                                 ("from_sequence=1&to_sequence=1.5", "to_sequence must be a non-negative integer"),
                                 ("from_sequence=5&to_sequence=4", "from_sequence must be between 0 and 4"),
                                 ("from_sequence=8", "from_sequence must be between 0 and 7"),
                                 ("from_sequence=1&to_sequence=8", "to_sequence must not exceed the head sequence 7"),
                                 ("from_sequence=1&limit=2", "unknown query parameter: limit")] {
            let response = try world.get("/api/v2/audit/consistency?\(query)", as: world.instUser)
            #expect(response.status == 400, "\(query)")
            #expect(try response.jsonObject()["message"] as? String == message, "\(query)")
        }
        let other = try world.get("/api/v2/audit/consistency?institution=other.org&from_sequence=x", as: world.instAdmin)
        #expect(other.status == 404)
        #expect(other.text == #"{"status":"error","message":"institution not found: other.org"}"#)
        let admin = try world.get("/api/v2/audit/consistency?from_sequence=0", as: world.admin)
        #expect(admin.status == 400)
        #expect(try admin.jsonObject()["message"] as? String == "institution is required")
        #expect(try world.get("/api/v2/audit/consistency?institution=other.org&from_sequence=0", as: world.admin).status == 200)
    }
}

/// AUD-52/54 with more entries than one cursor batch (1,000): the arrays are streamed and complete.
@Suite("Streamed hash arrays")
struct StreamedHashArrayTests {
    @Test("AUD-52/54: 2,500 events — proof and consistency arrays span several batches, gzip too")
    func longChain() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        try registry.makeObject("test.edu/bag1")
        try registry.appendEvents(TestRegistry.events(2500, object: "test.edu/bag1"))
        let user = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
        let client = try registry.client(receiveTimeout: 30)
        let head = try client.request(method: "GET", path: "/api/v2/audit/head", headers: user.headers).jsonObject()
        let recorded = try #require(head["chain_hash"] as? String)

        let proof = try client.request(method: "GET", path: "/api/v2/events/\(try registry.eventIdentifier("test.edu", 1))/proof",
                                       headers: user.headers).jsonObject()
        #expect((proof["following_entry_hashes"] as? [String])?.count == 2499)
        #expect(EventProofTests.proofHolds(proof, head: recorded, headSequence: 2500))

        let compressed = try client.request(method: "GET", path: "/api/v2/audit/consistency?from_sequence=0",
                                            headers: user.headers + [("Accept-Encoding", "gzip")])
        #expect(compressed.headers.values("Content-Encoding") == ["gzip"])
        let body = try JSONSerialization.jsonObject(with: Data(try compressed.gunzippedBody())) as? [String: Any]
        let hashes = body?["entry_hashes"] as? [String] ?? []
        #expect(hashes.count == 2500)
        #expect(fold(String(repeating: "0", count: 64), hashes) == recorded)
    }
}
