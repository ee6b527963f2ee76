import Formats
import Postgres
import Testing

/// Values bound as text parameters come back unchanged through the text result format.
@Suite struct TypeRoundTripTests {
    let connection: PGConnection

    init() throws {
        connection = try freshConnection()
    }

    @Test func strings() throws {
        let samples = ["", "plain", "it's \"quoted\" \\ back\\slash", "unicode ✓ 日本語 🎉", "NULL",
                       "tab\tnew\nline\r\n", String(repeating: "long ", count: 10_000)]
        for sample in samples {
            let result = try connection.query("SELECT \(sample)::text, octet_length(\(sample))")
            #expect(result.string(0, 0) == sample)
            #expect(try result.int(0, 1) == sample.utf8.count)
        }
    }

    @Test func aCellOutsideTheResultReadsAsNullInsteadOfTrapping() throws {
        let empty = try connection.query("SELECT 1::int8, 'x'::text WHERE false")
        #expect(empty.rowCount == 0)
        #expect(empty.isNull(0, 0))
        #expect(empty.string(0, 1) == nil)
        #expect(try empty.int64(0, 0) == nil)
        #expect(try empty.timestamp(0, 0) == nil && (try empty.bool(0, 0)) == nil && (try empty.double(0, 0)) == nil)
        #expect(empty.withUnsafeBytes(0, 1) { $0.count } == 0)
        let one = try connection.query("SELECT 7::int8")
        #expect(try one.int64(0, 0) == 7)
        #expect(try one.int64(1, 0) == nil && (try one.int64(-1, 0)) == nil)
    }

    @Test func aStringWithNULIsRefusedNotTruncated() throws {
        let error = #expect(throws: PGError.self) {
            try connection.query("SELECT \("before\u{0}after")::text")
        }
        #expect(error?.sqlState == "22021")
        #expect(connection.isUsable)
    }

    @Test func integersAtTheirLimits() throws {
        let result = try connection.query(
            "SELECT \(Int64.min)::int8, \(Int64.max)::int8, \(Int32.min)::int4, \(Int32.max)::int4, \(0)::int8, \(-1)::int8")
        #expect(try result.int64(0, 0) == Int64.min)
        #expect(try result.int64(0, 1) == Int64.max)
        #expect(try result.int64(0, 2) == Int64(Int32.min))
        #expect(try result.int64(0, 3) == Int64(Int32.max))
        #expect(try result.int(0, 4) == 0)
        #expect(try result.int(0, 5) == -1)
    }

    @Test func booleans() throws {
        let result = try connection.query("SELECT \(true)::bool, \(false)::bool, NOT \(true)")
        #expect(try result.bool(0, 0) == true)
        #expect(try result.bool(0, 1) == false)
        #expect(try result.bool(0, 2) == false)
    }

    @Test func doubles() throws {
        let samples: [Double] = [0, 1.5, -2.25, .pi, 1e300, -1e-300, .greatestFiniteMagnitude, 0.1]
        for sample in samples {
            let result = try connection.query("SELECT \(sample)::float8")
            #expect(try result.double(0, 0) == sample)
        }
        let special = try connection.query("SELECT \(Double.nan)::float8, \(Double.infinity)::float8, \(-Double.infinity)::float8")
        #expect(try special.double(0, 0)?.isNaN == true)
        #expect(try special.double(0, 1) == .infinity)
        #expect(try special.double(0, 2) == -.infinity)
    }

    @Test func timestampsKeepMicroseconds() throws {
        // 2024-05-01 13:02:03.123456 UTC
        let samples = [
            Timestamp(microseconds: 1_714_568_523_123_456),
            Timestamp(microseconds: 1_714_568_523_000_000),  // no fraction in PostgreSQL's output
            Timestamp(microseconds: 1_714_568_523_000_001),
            Timestamp(microseconds: -62_135_596_800_000_000),  // 0001-01-01, Go's zero time (DOM-3)
            Timestamp(microseconds: -1),
        ]
        try connection.execute("CREATE TABLE times (at timestamptz NOT NULL)")
        for sample in samples {
            let result = try connection.query("SELECT \(sample)::timestamptz")
            #expect(try result.timestamp(0, 0) == sample)
            _ = try connection.query("INSERT INTO times VALUES (\(sample))")
        }
        let stored = try connection.query("SELECT at FROM times")
        #expect(try (0..<stored.rowCount).map { try stored.timestamp($0, 0) } == samples)
        let text = try connection.query("SELECT \(samples[0])::timestamptz::text")
        #expect(text.string(0, 0) == "2024-05-01 13:02:03.123456+00")
    }

    @Test func byteaWithEveryByteValue() throws {
        let bytes = [UInt8](0...255) + [0x00, 0xFF, 0x00]
        let result = try connection.query("SELECT \(bytes), octet_length(\(bytes))")
        #expect(try result.bytea(0, 0) == bytes)
        #expect(try result.int(0, 1) == bytes.count)
        let empty = try connection.query("SELECT \([UInt8]())")
        #expect(try empty.bytea(0, 0) == [])
    }

    @Test func nullsInAndOut() throws {
        let text: String? = nil
        let number: Int64? = nil
        let moment: Timestamp? = nil
        let result = try connection.query(
            "SELECT \(text)::text, \(number)::int8, \(moment)::timestamptz, \(text)::text IS NULL, \(Optional("x"))::text")
        #expect(result.isNull(0, 0) && result.isNull(0, 1) && result.isNull(0, 2))
        #expect(result.string(0, 0) == nil)
        #expect(try result.int64(0, 1) == nil)
        #expect(try result.timestamp(0, 2) == nil)
        #expect(try result.bool(0, 3) == true)
        #expect(result.string(0, 4) == "x")
        // An empty string is not NULL.
        let empty = try connection.query("SELECT ''::text")
        #expect(!empty.isNull(0, 0))
        #expect(empty.string(0, 0) == "")
    }

    @Test func textArraysAreQuotedCorrectly() throws {
        let values = ["plain", "", "NULL", "with,comma", "{braces}", "\"quote\"", "back\\slash", " spaced ", "日本"]
        let result = try connection.query(
            "SELECT v FROM unnest(\(values)) WITH ORDINALITY AS u(v, n) ORDER BY n")
        #expect((0..<result.rowCount).map { result.string($0, 0) } == values)
        #expect(result.rowCount == values.count)
        let empty = try connection.query("SELECT cardinality(\([String]()))")
        #expect(try empty.int(0, 0) == 0)
    }

    @Test func int64Arrays() throws {
        let values: [Int64] = [Int64.min, -1, 0, 1, Int64.max]
        let result = try connection.query("SELECT v FROM unnest(\(values)) WITH ORDINALITY AS u(v, n) ORDER BY n")
        #expect(try (0..<result.rowCount).map { try result.int64($0, 0) } == values)
        let any = try connection.query("SELECT 3 = ANY(\([1, 2, 3]))")
        #expect(try any.bool(0, 0) == true)
    }

    @Test func injectionStringsAreBoundAsData() throws {
        try connection.execute("CREATE TABLE victims (name text NOT NULL)")
        let evil = ["'; DROP TABLE victims; --", "Robert'); DROP TABLE victims;--", "$1", "\\'; SELECT 1; --"]
        for name in evil {
            _ = try connection.query("INSERT INTO victims (name) VALUES (\(name))")
        }
        let result = try connection.query("SELECT name FROM victims WHERE name = ANY(\(evil)) ORDER BY name")
        #expect(result.rowCount == evil.count)
        #expect(Set((0..<result.rowCount).compactMap { result.string($0, 0) }) == Set(evil))
        let lookup = try connection.query("SELECT count(*) FROM victims WHERE name = \(evil[0])")
        #expect(try lookup.int(0, 0) == 1)
    }

    @Test func resultMetadataAndRawBytes() throws {
        try connection.execute("CREATE TABLE items (id int8, label text)")
        let insert = try connection.query("INSERT INTO items VALUES (1, 'a'), (2, 'b'), (3, \("c"))")
        #expect(insert.affectedRows == 3)
        let result = try connection.query("SELECT id, label AS \"Label\" FROM items ORDER BY id")
        #expect(result.columnCount == 2)
        #expect(result.columnIndex("id") == 0)
        #expect(result.columnIndex("\"Label\"") == 1)
        #expect(result.columnIndex("missing") == nil)
        #expect(result.columnName(1) == "Label")
        let raw = result.withUnsafeBytes(2, 1) { Array($0) }
        #expect(raw == Array("c".utf8))
    }

    @Test func wrongTypeReadsThrowInsteadOfTrapping() throws {
        let result = try connection.query("SELECT 'abc'::text, '99999999999999999999'::numeric, 'yes'::text")
        #expect(throws: PGError.self) { try result.int64(0, 0) }
        #expect(throws: PGError.self) { try result.int64(0, 1) }
        #expect(throws: PGError.self) { try result.bool(0, 2) }
        #expect(throws: PGError.self) { try result.bytea(0, 0) }
        #expect(throws: PGError.self) { try result.timestamp(0, 0) }
        #expect(throws: PGError.self) { try result.double(0, 0) }
    }
}
