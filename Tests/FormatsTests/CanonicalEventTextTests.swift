import Formats
import Testing

/// auditor.md §5.4: the canonical texts built from the raw event values through JSONWriter (and so
/// through JSONEscaping) must equal the spec's texts byte for byte. CryptoSupportTests hashes the
/// same literal texts and checks the listed hashes; together they prove the writer produces the
/// hashed bytes.
@Suite struct CanonicalEventTextTests {
    static let event1Text =
        #"{"agent":"https://github.com/APTrust/exchange","created_at":"2024-05-01T13:02:04.000001Z","date_time":"2024-05-01T13:02:03.123456Z","detail":"Object created","event_type":"creation","generic_file_identifier":null,"identifier":"6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"APTrust exchange","outcome":"Success","outcome_detail":"Intellectual object created","outcome_information":null,"sequence":1}"#

    static let event2Text =
        #"{"agent":"http://golang.org/pkg/crypto/sha256/","created_at":"2024-05-01T13:05:00.000000Z","date_time":"2024-05-01T13:04:59.999999Z","detail":"Fixity check against registered hash\n\"café\"/tab\there\u0001","event_type":"fixity check","generic_file_identifier":"test.edu/bag1/data/a b.txt","identifier":"0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c","institution":"test.edu","intellectual_object_identifier":"test.edu/bag1","object":"Go language crypto/sha256","outcome":"Failed","outcome_detail":"sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","outcome_information":"Fixity did not match","sequence":2}"#

    /// Event values as stored; the canonical member order of AUD-40 is applied by `canonicalText`.
    struct Event {
        var agent: String
        var createdAt: Timestamp
        var dateTime: Timestamp
        var detail: String
        var eventType: String
        var genericFileIdentifier: String?
        var identifier: String
        var institution: String
        var intellectualObjectIdentifier: String
        var object: String
        var outcome: String
        var outcomeDetail: String
        var outcomeInformation: String?
        var sequence: Int64
    }

    /// AUD-40/41/42: 14 members in fixed order, no whitespace.
    static func canonicalText(_ event: Event) -> [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.field("agent", event.agent)
        writer.field("created_at", event.createdAt)
        writer.field("date_time", event.dateTime)
        writer.field("detail", event.detail)
        writer.field("event_type", event.eventType)
        writer.field("generic_file_identifier", event.genericFileIdentifier)
        writer.field("identifier", event.identifier)
        writer.field("institution", event.institution)
        writer.field("intellectual_object_identifier", event.intellectualObjectIdentifier)
        writer.field("object", event.object)
        writer.field("outcome", event.outcome)
        writer.field("outcome_detail", event.outcomeDetail)
        writer.field("outcome_information", event.outcomeInformation)
        writer.field("sequence", event.sequence)
        writer.endObject()
        return writer.bytes
    }

    @Test("AUD-40..42: event 1 canonical text (474 bytes)")
    func event1() throws {
        let event = Event(
            agent: "https://github.com/APTrust/exchange",
            createdAt: try #require(Timestamp(rfc3339: "2024-05-01T13:02:04.000001Z")),
            dateTime: try #require(Timestamp(rfc3339: "2024-05-01T13:02:03.123456Z")),
            detail: "Object created", eventType: "creation", genericFileIdentifier: nil,
            identifier: "6f1c2a9e-0b7d-4e55-9d3a-2f4b8c1d0e11", institution: "test.edu",
            intellectualObjectIdentifier: "test.edu/bag1", object: "APTrust exchange", outcome: "Success",
            outcomeDetail: "Intellectual object created", outcomeInformation: nil, sequence: 1)
        let bytes = Self.canonicalText(event)
        #expect(bytes.count == 474)
        #expect(bytes == Array(Self.event1Text.utf8))
    }

    @Test("AUD-40..42: event 2 canonical text (622 bytes) with LF, TAB, U+0001, quotes and é")
    func event2() throws {
        let detail = "Fixity check against registered hash\n\"café\"/tab\there\u{01}"
        #expect(detail.count == 53)
        let event = Event(
            agent: "http://golang.org/pkg/crypto/sha256/",
            createdAt: try #require(Timestamp(rfc3339: "2024-05-01T13:05:00Z")),
            // A worker's nanosecond value, truncated as stored (DOM-2, AUD-44).
            dateTime: try #require(Timestamp(rfc3339: "2024-05-01T13:04:59.999999999Z")),
            detail: detail, eventType: "fixity check", genericFileIdentifier: "test.edu/bag1/data/a b.txt",
            identifier: "0e8b7a52-3c1d-4f6a-8b2e-9d0c1f2a3b4c", institution: "test.edu",
            intellectualObjectIdentifier: "test.edu/bag1", object: "Go language crypto/sha256", outcome: "Failed",
            outcomeDetail: "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            outcomeInformation: "Fixity did not match", sequence: 2)
        let bytes = Self.canonicalText(event)
        #expect(bytes.count == 622)
        #expect(bytes == Array(Self.event2Text.utf8))
    }
}
