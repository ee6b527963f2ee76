import CryptoSupport
import Formats
import RegistryCore
import Testing

/// auditor.md §5.4 through the product's own types: `CanonicalEvent` (the text EventStore hashes),
/// `ChainHash`, and the AUD-62 line format. (FormatsTests and CryptoSupportTests check the writer
/// and the digests separately; this checks the type that is actually used.)
@Suite("Chain: §5.4 vectors, recorded heads, verdict lines")
struct ChainVectorTests {
    static let event1 = CanonicalEvent(
        agent: "https://github.com/APTrust/exchange", createdAt: Timestamp(rfc3339: "2024-05-01T13:02:04.000001Z")!,
        dateTime: Timestamp(rfc3339: "2024-05-01T13:02:03.123456Z")!, detail: "Object created", eventType: "creation",
        genericFileIdentifier: nil, identifier: "6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11", institution: "test.edu",
        intellectualObjectIdentifier: "test.edu/bag1", object: "APTrust exchange", outcome: "Success",
        outcomeDetail: "Intellectual object created", outcomeInformation: nil, sequence: 1)

    static let event2 = CanonicalEvent(
        agent: "http://golang.org/pkg/crypto/sha256/", createdAt: Timestamp(rfc3339: "2024-05-01T13:05:00Z")!,
        dateTime: Timestamp(rfc3339: "2024-05-01T13:04:59.999999Z")!,
        detail: "Fixity check against registered hash\n\"café\"/tab\there\u{01}", eventType: "fixity check",
        genericFileIdentifier: "test.edu/bag1/data/a b.txt", identifier: "0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c",
        institution: "test.edu", intellectualObjectIdentifier: "test.edu/bag1", object: "Go language crypto/sha256",
        outcome: "Failed", outcomeDetail: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        outcomeInformation: "Fixity did not match", sequence: 2)

    @Test("AUD-40..43: canonical texts (474 and 622 bytes), entry and chain hashes of the §5.4 events")
    func vectors() {
        #expect(Self.event1.serialized.count == 474)
        #expect(Self.event2.serialized.count == 622)
        #expect(String(decoding: Self.event1.serialized, as: UTF8.self) == AuditVectors.event1Canonical)
        #expect(String(decoding: Self.event2.serialized, as: UTF8.self) == AuditVectors.event2Canonical)
        #expect(Hex.encode(Self.event1.entryHash) == AuditVectors.entry1)
        #expect(Hex.encode(Self.event2.entryHash) == AuditVectors.entry2)
        let chain1 = ChainHash.next(previous: ChainHash.genesis, entry: Self.event1.entryHash)
        #expect(Hex.encode(chain1) == AuditVectors.chain1)
        #expect(Hex.encode(ChainHash.next(previous: chain1, entry: Self.event2.entryHash)) == AuditVectors.chain2)
    }

    @Test("AUD-61: HASH@SEQ parsing (64 hex digits, @, a non-negative integer)")
    func recordedHeads() throws {
        let zeros = String(repeating: "0", count: 64)
        let parsed = try #require(RecordedHead(parsing: AuditVectors.chain2.uppercased() + "@2"))
        #expect(parsed.sequence == 2)
        #expect(Hex.encode(parsed.chainHash) == AuditVectors.chain2)
        #expect(RecordedHead(parsing: zeros + "@0")?.sequence == 0)
        for bad in ["", "@", zeros, zeros + "@", "@5", String(zeros.dropLast()) + "@1", zeros + "0@1", zeros + "@-1",
                    zeros + "@+1", zeros + "@1@2", String(zeros.dropLast()) + "g@1", zeros + "@1.0", zeros + "@ 1"] {
            #expect(RecordedHead(parsing: bad) == nil, "\(bad)")
        }
    }

    @Test("AUD-62: the OK and BROKEN lines")
    func lines() {
        let ok = ChainVerdict(institution: "test.edu", outcome: .intact(sequence: 2, chainHash: Hex.decode(AuditVectors.chain2)!))
        #expect(ok.line == "OK test.edu sequence=2 head=\(AuditVectors.chain2)")
        let gap = ChainVerdict(institution: "test.edu", outcome: .broken(ChainBreak(sequence: 3, identifier: nil, reason: .sequenceGap)))
        #expect(gap.line == "BROKEN test.edu sequence=3 identifier=- reason=sequence_gap")
        let changed = ChainVerdict(institution: "a.org", outcome: .broken(
            ChainBreak(sequence: 7, identifier: "0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c", reason: .entryHashMismatch)))
        #expect(changed.line == "BROKEN a.org sequence=7 identifier=0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c reason=entry_hash_mismatch")
    }
}

/// The values of auditor.md §5.4, copied byte for byte.
enum AuditVectors {
    static let event1Canonical =
        #"{"agent":"https://github.com/APTrust/exchange","created_at":"2024-05-01T13:02:04.000001Z","date_time":"2024-05-01T13:02:03.123456Z","detail":"Object created","event_type":"creation","generic_file_identifier":null,"identifier":"6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"APTrust exchange","outcome":"Success","outcome_detail":"Intellectual object created","outcome_information":null,"sequence":1}"#
    static let event2Canonical =
        #"{"agent":"http://golang.org/pkg/crypto/sha256/","created_at":"2024-05-01T13:05:00.000000Z","date_time":"2024-05-01T13:04:59.999999Z","detail":"Fixity check against registered hash\n\"café\"/tab\there\u0001","event_type":"fixity check","generic_file_identifier":"test.edu/bag1/data/a b.txt","identifier":"0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"Go language crypto/sha256","outcome":"Failed","outcome_detail":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","outcome_information":"Fixity did not match","sequence":2}"#
    static let entry1 = "7e3663b4ce007b7bcc7d8add3143e36b4e6969c9e1747634c9b3d740b0139feb"
    static let chain1 = "29ddb0e226dc870149e310598c66cc6723564cd6f90a68ddc390343de7dab83b"
    static let entry2 = "1267f88f232e6e23366f05f6643a266d38f1009893f4067b4e384ec2d122ed52"
    static let chain2 = "dcdd171c7ef35728c1dd0cbffa13552d14b38a4a11fff126491d99953b9da81e"
    static let combined = "b1257c03539cd1d4a37f9dd05c1c1b1e73d5a6fb28c4c2207466be2fd645d945"
}
