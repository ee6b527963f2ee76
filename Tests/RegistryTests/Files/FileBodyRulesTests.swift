import Formats
import Testing
@testable import RegistryAPI
@testable import RegistryCore

/// Pure-logic checks of the file body readers and the nested-children plan (no server).
@Suite("files: body rules and nested children plan")
struct FileBodyRulesTests {
    static let object = ObjectRef(id: 7, identifier: "test.edu/bag", institutionID: 3, institutionIdentifier: "test.edu",
                                  access: "institution", state: "A", storageOption: "Standard", bagName: "bag")

    static func record(_ json: String) throws -> JSONObject {
        try #require(try JSONParser.parse(Array(json.utf8)).objectValue)
    }

    static func checksum(_ algorithm: String, _ datetime: String, _ digest: String, id: Int64? = nil) -> ChecksumInput {
        ChecksumInput(algorithm: algorithm, datetime: Timestamp(rfc3339: datetime)!, digest: digest, existingID: id,
                      claimedFileID: nil, errorPrefix: "checksums[0].")
    }

    @Test("DOM-13: the identifier lies under the object, with a non-empty path and no control characters")
    func identifierRule() {
        for (identifier, error) in [("test.edu/bag/a", nil), ("test.edu/bag/dir/ä b", nil), ("test.edu/bagx/a", "must start with test.edu/bag/"),
                                    ("test.edu/bag/", "is invalid"), ("test.edu/bag//a", "is invalid"),
                                    ("test.edu/bag/a\u{7}b", "is invalid"), ("test.edu/bag/a\u{7F}", "is invalid")] {
            var reader = FieldReader(JSONObject(members: []))
            FileBodyReader.checkIdentifier(identifier, of: Self.object, reader: &reader)
            #expect(reader.errors.messages(for: "identifier") == (error.map { [$0] } ?? []), "\(identifier)")
        }
    }

    @Test("API-27/API-50: both spellings refused; keys use the plain name; non-objects named by index")
    func nestedLists() throws {
        var errors = FieldErrors()
        let plain = NestedLists.read(try Self.record(#"{"checksums_attributes":[{},1]}"#), "checksums", prefix: "files[2].",
                                     errors: &errors)
        #expect(plain.map(\.prefix) == ["files[2].checksums[0]."])
        #expect(errors.messages(for: "files[2].checksums[1]") == ["must be an object"])
        var both = FieldErrors()
        _ = NestedLists.read(try Self.record(#"{"checksums":[],"checksums_attributes":[]}"#), "checksums", prefix: "",
                             errors: &both)
        #expect(both.messages(for: "checksums") == ["cannot be sent together with checksums_attributes"])
        var notArray = FieldErrors()
        _ = NestedLists.read(try Self.record(#"{"premis_events_attributes":{}}"#), "premis_events", prefix: "", errors: &notArray)
        #expect(notArray.messages(for: "premis_events") == ["must be an array"])
        var nulls = FieldErrors()
        #expect(NestedLists.read(try Self.record(#"{"checksums":null,"checksums_attributes":[]}"#), "checksums", prefix: "",
                                 errors: &nulls).isEmpty && nulls.isEmpty)
    }

    @Test("DOM-17: digests lower-cased, hex only, length by algorithm")
    func digests() throws {
        var errors = FieldErrors()
        let upper = ChecksumBodyReader.read(try Self.record(#"{"algorithm":"md5","datetime":"2024-01-01T00:00:00Z","digest":"ABCDEF0123456789abcdef0123456789"}"#),
                                            prefix: "", fileIdentifier: nil, nested: true, errors: &errors)
        #expect(upper?.digest == "abcdef0123456789abcdef0123456789" && errors.isEmpty)
        for (digest, message) in [("xyz", "is invalid"), ("abc", "must be 32 hexadecimal characters for md5"), ("", "can't be blank")] {
            var failed = FieldErrors()
            let input = ChecksumBodyReader.read(try Self.record(#"{"algorithm":"md5","datetime":"2024-01-01T00:00:00Z","digest":"\#(digest)"}"#),
                                                prefix: "c.", fileIdentifier: nil, nested: true, errors: &failed)
            #expect(input == nil && failed.messages(for: "c.digest") == [message], "\(digest)")
        }
    }

    @Test("API-64: stored key with the same digest is skipped, another digest conflicts, in-request repeats too")
    func childrenPlan() {
        var stored = StoredFileState()
        let key = ChecksumKey(algorithm: "md5", datetime: Timestamp(rfc3339: "2024-01-01T00:00:00Z")!)
        stored.checksums[10] = [key: (id: 55, digest: String(repeating: "a", count: 32))]
        stored.eventFiles[900] = .some(10)
        stored.eventFiles[901] = .some(nil)
        let a32 = String(repeating: "a", count: 32), b32 = String(repeating: "b", count: 32)
        var errors = FieldErrors()
        let plan = NestedChildrenPlan(
            checksums: [Self.checksum("md5", "2024-01-01T00:00:00Z", a32), Self.checksum("sha1", "2024-01-01T00:00:00Z", a32 + "aaaaaaaa"),
                        Self.checksum("sha1", "2024-01-01T00:00:00Z", a32 + "aaaaaaaa"), Self.checksum("md5", "2024-01-01T00:00:00Z", b32, id: 55)],
            events: [], fileID: 10, stored: stored, errors: &errors)
        #expect(errors.isEmpty)
        #expect(plan.checksumsToInsert.map(\.algorithm) == ["sha1"])
        var conflicts = FieldErrors()
        let events = [900, 901].map { id in
            FileEventInput(content: EventContent(identifier: "x", eventType: "ingestion", dateTime: .now(), detail: "d",
                                                 outcome: "Success", outcomeDetail: "o", outcomeInformation: nil,
                                                 object: "o", agent: "a"),
                           existingID: Int64(id), claimedFileID: nil, errorPrefix: "premis_events[\(id - 900)].")
        }
        let other = NestedChildrenPlan(checksums: [Self.checksum("md5", "2024-01-01T00:00:00Z", b32, id: 56)], events: events,
                                       fileID: 10, stored: stored, errors: &conflicts)
        #expect(other.isEmpty)
        #expect(conflicts.messages(for: "checksums[0].id") == ["is not a checksum of this file"])
        #expect(conflicts.messages(for: "premis_events[0].id").isEmpty)
        #expect(conflicts.messages(for: "premis_events[1].id") == ["is not an event of this file"])
        var newFile = FieldErrors()
        _ = NestedChildrenPlan(checksums: [Self.checksum("md5", "2024-01-01T00:00:00Z", a32), Self.checksum("md5", "2024-01-01T00:00:00Z", b32)],
                               events: [], fileID: nil, stored: stored, errors: &newFile)
        #expect(newFile.messages(for: "checksums[0].datetime") == ["has already been taken"])
    }
}
