import Formats
import RegistryCore
import Testing

/// auditor.md §5.4: the two test vectors through `CanonicalEvent` and `ChainHash` (the code the
/// server hashes with), and the combined head hash of AUD-51 through `CombinedHeadHash`.
@Suite("Chain: AUD-40..43 and AUD-51 test vectors")
struct CanonicalEventVectorTests {
    static let event1Text =
        #"{"agent":"https://github.com/APTrust/exchange","created_at":"2024-05-01T13:02:04.000001Z","date_time":"2024-05-01T13:02:03.123456Z","detail":"Object created","event_type":"creation","generic_file_identifier":null,"identifier":"6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"APTrust exchange","outcome":"Success","outcome_detail":"Intellectual object created","outcome_information":null,"sequence":1}"#
    static let event2Text =
        #"{"agent":"http://golang.org/pkg/crypto/sha256/","created_at":"2024-05-01T13:05:00.000000Z","date_time":"2024-05-01T13:04:59.999999Z","detail":"Fixity check against registered hash\n\"café\"/tab\there\u0001","event_type":"fixity check","generic_file_identifier":"test.edu/bag1/data/a b.txt","identifier":"0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"Go language crypto/sha256","outcome":"Failed","outcome_detail":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","outcome_information":"Fixity did not match","sequence":2}"#

    static func timestamp(_ text: String) throws -> Timestamp {
        try #require(Timestamp(rfc3339: text))
    }

    static func event1() throws -> CanonicalEvent {
        CanonicalEvent(
            agent: "https://github.com/APTrust/exchange", createdAt: try timestamp("2024-05-01T13:02:04.000001Z"),
            dateTime: try timestamp("2024-05-01T13:02:03.123456Z"), detail: "Object created", eventType: "creation",
            genericFileIdentifier: nil, identifier: "6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11", institution: "test.edu",
            intellectualObjectIdentifier: "test.edu/bag1", object: "APTrust exchange", outcome: "Success",
            outcomeDetail: "Intellectual object created", outcomeInformation: nil, sequence: 1)
    }

    static func event2() throws -> CanonicalEvent {
        // The 53-character detail of the spec: LF, quotes, a tab and U+0001 are escaped; `é` and
        // `/` are written literally (AUD-42).
        let detail = "Fixity check against registered hash\n\"café\"/tab\there\u{01}"
        return CanonicalEvent(
            agent: "http://golang.org/pkg/crypto/sha256/", createdAt: try timestamp("2024-05-01T13:05:00Z"),
            // Nanoseconds in, microseconds hashed: DOM-2 truncation, never rounding (AUD-44).
            dateTime: try timestamp("2024-05-01T13:04:59.999999999Z"), detail: detail, eventType: "fixity check",
            genericFileIdentifier: "test.edu/bag1/data/a b.txt", identifier: "0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c",
            institution: "test.edu", intellectualObjectIdentifier: "test.edu/bag1", object: "Go language crypto/sha256",
            outcome: "Failed", outcomeDetail: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            outcomeInformation: "Fixity did not match", sequence: 2)
    }

    @Test("AUD-40..42: the canonical texts are bit-exact (474 and 622 bytes)")
    func canonicalTexts() throws {
        let first = try Self.event1().serialized
        let second = try Self.event2().serialized
        #expect(first == Array(Self.event1Text.utf8))
        #expect(second == Array(Self.event2Text.utf8))
        #expect(first.count == 474)
        #expect(second.count == 622)
        let detail = try Self.event2().detail
        #expect(detail.count == 53)
    }

    @Test("AUD-43: entry_hash and chain_hash of both events")
    func hashes() throws {
        let entry1 = try Self.event1().entryHash
        let entry2 = try Self.event2().entryHash
        #expect(Hex.encode(entry1) == "7e3663b4ce007b7bcc7d8add3143e36b4e6969c9e1747634c9b3d740b0139feb")
        #expect(Hex.encode(entry2) == "1267f88f232e6e23366f05f6643a266d38f1009893f4067b4e384ec2d122ed52")
        #expect(ChainHash.genesis == [UInt8](repeating: 0, count: 32))
        let chain1 = ChainHash.next(previous: ChainHash.genesis, entry: entry1)
        let chain2 = ChainHash.next(previous: chain1, entry: entry2)
        #expect(Hex.encode(chain1) == "29ddb0e226dc870149e310598c66cc6723564cd6f90a68ddc390343de7dab83b")
        #expect(Hex.encode(chain2) == "dcdd171c7ef35728c1dd0cbffa13552d14b38a4a11fff126491d99953b9da81e")
    }

    @Test("AUD-51: combined_hash of heads example.org (0) and test.edu (2), in byte order whatever the input order")
    func combinedHash() throws {
        let chain2 = try #require(Hex.decode("dcdd171c7ef35728c1dd0cbffa13552d14b38a4a11fff126491d99953b9da81e"))
        let heads = [
            ChainHead(institution: "test.edu", sequence: 2, chainHash: chain2),
            ChainHead(institution: "example.org", sequence: 0, chainHash: ChainHash.genesis),
        ]
        let expected = "b1257c03539cd1d4a37f9dd05c1c1b1e73d5a6fb28c4c2207466be2fd645d945"
        #expect(Hex.encode(CombinedHeadHash.compute(heads)) == expected)
        #expect(Hex.encode(CombinedHeadHash.compute(heads.reversed())) == expected)
    }

    @Test("AUD-41: a changed field or sequence changes the entry hash")
    func everyMemberIsHashed() throws {
        let original = try Self.event1()
        var changedDetail = original
        changedDetail.detail = "Object created."
        var changedSequence = original
        changedSequence.sequence = 2
        var changedFile = original
        changedFile.genericFileIdentifier = "test.edu/bag1/x"
        #expect(changedDetail.entryHash != original.entryHash)
        #expect(changedSequence.entryHash != original.entryHash)
        #expect(changedFile.entryHash != original.entryHash)
    }
}
