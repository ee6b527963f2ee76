import CryptoSupport
import Testing

/// auditor.md §5.4 test vectors: entry hashes, chain hashes (AUD-43) and the combined head hash
/// (AUD-51). The canonical texts are copied byte-exactly from the spec; FormatsTests'
/// CanonicalEventTextTests proves JSONWriter/JSONEscaping produce these same bytes from the raw
/// event values (this target cannot import Formats).
@Suite struct EventChainVectorTests {
    static let event1Text =
        #"{"agent":"https://github.com/APTrust/exchange","created_at":"2024-05-01T13:02:04.000001Z","date_time":"2024-05-01T13:02:03.123456Z","detail":"Object created","event_type":"creation","generic_file_identifier":null,"identifier":"6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"APTrust exchange","outcome":"Success","outcome_detail":"Intellectual object created","outcome_information":null,"sequence":1}"#

    static let event2Text =
        #"{"agent":"http://golang.org/pkg/crypto/sha256/","created_at":"2024-05-01T13:05:00.000000Z","date_time":"2024-05-01T13:04:59.999999Z","detail":"Fixity check against registered hash\n\"café\"/tab\there\u0001","event_type":"fixity check","generic_file_identifier":"test.edu/bag1/data/a b.txt","identifier":"0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"Go language crypto/sha256","outcome":"Failed","outcome_detail":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","outcome_information":"Fixity did not match","sequence":2}"#

    static let entry1 = "7e3663b4ce007b7bcc7d8add3143e36b4e6969c9e1747634c9b3d740b0139feb"
    static let chain1 = "29ddb0e226dc870149e310598c66cc6723564cd6f90a68ddc390343de7dab83b"
    static let entry2 = "1267f88f232e6e23366f05f6643a266d38f1009893f4067b4e384ec2d122ed52"
    static let chain2 = "dcdd171c7ef35728c1dd0cbffa13552d14b38a4a11fff126491d99953b9da81e"
    static let combined = "b1257c03539cd1d4a37f9dd05c1c1b1e73d5a6fb28c4c2207466be2fd645d945"

    @Test("The copied canonical texts have the spec's byte lengths (474 and 622)")
    func textLengths() {
        #expect(Self.event1Text.utf8.count == 474)
        #expect(Self.event2Text.utf8.count == 622)
    }

    @Test("AUD-43: entry_hash = SHA-256(canonical bytes)")
    func entryHashes() {
        #expect(SHA256.hex(Self.event1Text) == Self.entry1)
        #expect(SHA256.hex(Self.event2Text) == Self.entry2)
    }

    @Test("AUD-43: chain_hash(n) = SHA-256(chain_hash(n-1) ‖ entry_hash(n)), chain_hash(0) = 32 zero bytes")
    func chainHashes() {
        let chain0 = [UInt8](repeating: 0, count: 32)
        let chain1 = SHA256.hash(chain0 + SHA256.hash(Self.event1Text))
        #expect(TestHex.encode(chain1) == Self.chain1)
        let chain2 = SHA256.hash(chain1 + SHA256.hash(Self.event2Text))
        #expect(TestHex.encode(chain2) == Self.chain2)

        // The same fold with the incremental hasher, as a streaming verifier would do it.
        let hasher = SHA256Hasher()
        hasher.update(chain1)
        hasher.update(TestHex.decode(Self.entry2))
        #expect(TestHex.encode(hasher.finalize()) == Self.chain2)
    }

    @Test("AUD-51: combined_hash over the heads example.org (0) and test.edu (2)")
    func combinedHash() {
        let lines = "example.org 0 \(String(repeating: "0", count: 64))\ntest.edu 2 \(Self.chain2)\n"
        #expect(SHA256.hex(lines) == Self.combined)
    }
}
