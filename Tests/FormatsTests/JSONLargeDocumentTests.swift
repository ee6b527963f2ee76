import Formats
import Testing

/// A create_batch-sized body (api-v2.md API-23: a bare array of file objects with nested checksums
/// and events) parses in full and hands back every value that was written.
@Suite struct JSONLargeDocumentTests {
    /// What one generated file record holds, to compare against after parsing.
    private struct FileRecord {
        let identifier: String
        let size: Int64
        let digest: String
        let detail: String
        let note: String?
    }

    private static func record(_ index: Int) -> FileRecord {
        let hexDigits = Array("0123456789abcdef".utf8)
        var digest: [UInt8] = []
        var seed = UInt64(index) &* 0x9E37_79B9_7F4A_7C15
        for _ in 0..<64 {
            seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            digest.append(hexDigits[Int(seed >> 60)])
        }
        return FileRecord(
            identifier: "test.edu/bag-\(index / 100)/data/dir \(index % 7)/file-\(index).txt",
            size: Int64(index) * 1_000_003 + (index % 3 == 0 ? 4_000_000_000_000 : 0),
            digest: String(decoding: digest, as: UTF8.self),
            detail: "ingested \"file\" #\(index)\tdétail ✓ 🚀\n\\ line \u{1}",
            note: index % 5 == 0 ? nil : "note \(index)"
        )
    }

    /// Writes the records as compact JSON with some whitespace between them.
    private static func document(records: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: records * 1_100)
        writer.beginArray()
        for index in 0..<records {
            let file = record(index)
            writer.beginObject()
            writer.key("identifier"); writer.string(file.identifier)
            writer.key("size"); writer.int(file.size)
            writer.key("file_format"); writer.string("text/plain")
            writer.key("uri"); writer.string("https://s3.amazonaws.com/preservation/\(file.digest)")
            writer.key("note"); if let note = file.note { writer.string(note) } else { writer.null() }
            writer.key("checksums_attributes")
            writer.beginArray()
            for algorithm in ["md5", "sha256"] {
                writer.beginObject()
                writer.key("algorithm"); writer.string(algorithm)
                writer.key("digest"); writer.string(file.digest)
                writer.key("datetime"); writer.string("2024-05-06T07:08:09.123456Z")
                writer.endObject()
            }
            writer.endArray()
            writer.key("premis_events_attributes")
            writer.beginArray()
            writer.beginObject()
            writer.key("event_type"); writer.string("ingestion")
            writer.key("detail"); writer.string(file.detail)
            writer.key("generic_file_id"); writer.int(0)
            writer.key("retry"); writer.bool(index % 2 == 0)
            writer.endObject()
            writer.endArray()
            writer.endObject()
            writer.bytes.append(contentsOf: Array("\n\t ".utf8))  // whitespace before the next comma
        }
        writer.endArray()
        return writer.bytes
    }

    @Test("API-23: a ~10 MB create_batch-like body round-trips every value")
    func tenMegabyteBody() throws {
        let recordCount = 15_000
        let bytes = Self.document(records: recordCount)
        #expect(bytes.count > 10_000_000)

        let files = try #require(try JSONParser.parse(bytes).arrayValue)
        #expect(files.count == recordCount)
        for (index, value) in files.enumerated() {
            let expected = Self.record(index)
            let file = try #require(value.objectValue)
            #expect(file.keys == ["identifier", "size", "file_format", "uri", "note", "checksums_attributes", "premis_events_attributes"])
            #expect(file["identifier"] == .string(expected.identifier))
            #expect(file["size"]?.numberValue?.int64 == expected.size)
            #expect(file["note"] == (expected.note.map { .string($0) } ?? .null))
            let checksums = try #require(file["checksums_attributes"]?.arrayValue)
            #expect(checksums.map { $0.objectValue?["algorithm"]?.stringValue } == ["md5", "sha256"])
            #expect(checksums.allSatisfy { $0.objectValue?["digest"] == .string(expected.digest) })
            let event = try #require(file["premis_events_attributes"]?.arrayValue?.first?.objectValue)
            #expect(event["detail"] == .string(expected.detail))
            #expect(event["generic_file_id"]?.numberValue?.int64 == 0)
            #expect(event["retry"] == .bool(index % 2 == 0))
        }
    }

    @Test("A large array of scalars and one long string parse completely")
    func largeFlatValues() throws {
        var text = "["
        for index in 0..<200_000 {
            text += index == 0 ? "" : ","
            text += index % 2 == 0 ? "\(index)" : "-\(index).5e1"
        }
        text += "]"
        let numbers = try #require(try JSONTest.parse(text).arrayValue)
        #expect(numbers.count == 200_000)
        #expect(numbers[199_998].numberValue?.int64 == 199_998)
        #expect(numbers[199_999].numberValue?.double == -1_999_995)

        let long = String(repeating: "0123456789abcdef", count: 1 << 20)  // 16 MiB of plain ASCII
        #expect(try JSONTest.parse("\"\(long)\"").stringValue?.utf8.count == long.utf8.count)
    }
}
