import Formats
import Testing

/// The byte-level JSON writer used for every API response.
@Suite struct JSONWriterTests {
    private func text(_ writer: JSONWriter) -> String {
        String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test("Commas are placed automatically in nested objects and arrays")
    func separatorsInNestedContainers() {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        writer.key("a")
        writer.beginArray()
        writer.int(1)
        writer.int(2)
        writer.beginObject()
        writer.key("b")
        writer.null()
        writer.key("c")
        writer.beginArray()
        writer.endArray()
        writer.endObject()
        writer.beginArray()
        writer.beginArray()
        writer.endArray()
        writer.endArray()
        writer.string("s")
        writer.endArray()
        writer.key("d")
        writer.beginObject()
        writer.endObject()
        writer.key("e")
        writer.bool(true)
        writer.endObject()
        #expect(text(writer) == #"{"a":[1,2,{"b":null,"c":[]},[[]],"s"],"d":{},"e":true}"#)
    }

    @Test("Empty containers")
    func emptyContainers() {
        var object = JSONWriter()
        object.beginObject()
        object.endObject()
        #expect(text(object) == "{}")
        var array = JSONWriter()
        array.beginArray()
        array.endArray()
        #expect(text(array) == "[]")
    }

    @Test("Integers including Int64.min and Int64.max")
    func integers() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(Int64.min)
        writer.int(Int64.max)
        writer.int(Int64(0))
        writer.int(-1)
        writer.int(9)
        writer.int(10)
        writer.int(Int64(-10))
        writer.int(1_000_000)
        writer.int(Int.min)
        writer.endArray()
        #expect(
            text(writer)
                == "[-9223372036854775808,9223372036854775807,0,-1,9,10,-10,1000000,-9223372036854775808]")
    }

    @Test("DecimalText writes unsigned values up to UInt64.max")
    func unsignedDecimal() {
        var output: [UInt8] = []
        DecimalText.append(UInt64.max, to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "18446744073709551615")
    }

    @Test("API-33: strings are escaped, slashes and non-ASCII are not")
    func strings() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("identifier", "test.edu/bag1")
        writer.field("title", "Ünïcödé \"quoted\"\n")
        writer.endObject()
        #expect(text(writer) == #"{"identifier":"test.edu/bag1","title":"Ünïcödé \"quoted\"\n"}"#)
    }

    @Test("Strings straight from raw UTF-8 bytes (libpq cells)")
    func stringFromRawBytes() {
        let cell = Array("a\tb/é".utf8)
        var writer = JSONWriter()
        writer.beginArray()
        cell.withUnsafeBytes { writer.string(utf8: $0) }
        writer.endArray()
        #expect(text(writer) == #"["a\tb/é"]"#)
    }

    @Test("Runtime keys are escaped")
    func runtimeKeys() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.key(String("we\"ird"))
        writer.int(1)
        writer.endObject()
        #expect(text(writer) == #"{"we\"ird":1}"#)
    }

    @Test("field() writes null for nil of every optional type")
    func nullForNil() {
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("s", nil as String?)
        writer.field("i", nil as Int64?)
        writer.field("n", nil as Int?)
        writer.field("t", nil as Timestamp?)
        writer.field("b", false)
        writer.endObject()
        #expect(text(writer) == #"{"s":null,"i":null,"n":null,"t":null,"b":false}"#)
    }

    @Test("field() writes present values")
    func presentValues() throws {
        let time = try #require(Timestamp(rfc3339: "2024-05-01T13:02:03.123456Z"))
        var writer = JSONWriter()
        writer.beginObject()
        writer.field("s", "x" as String?)
        writer.field("i", Int64(-5) as Int64?)
        writer.field("n", 7 as Int?)
        writer.field("t", time as Timestamp?)
        writer.endObject()
        #expect(text(writer) == #"{"s":"x","i":-5,"n":7,"t":"2024-05-01T13:02:03.123456Z"}"#)
    }

    @Test("Raw pre-encoded values take part in separators")
    func rawValues() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.raw(#"{"x":1}"#)
        writer.raw(Array("[true]".utf8))
        let cell = Array(#""pre""#.utf8)
        cell.withUnsafeBytes { writer.raw($0) }
        writer.endArray()
        #expect(text(writer) == #"[{"x":1},[true],"pre"]"#)
    }

    @Test("AUD-12: top-level values are not separated, so NDJSON lines can be written")
    func topLevelValuesForNDJSON() {
        var writer = JSONWriter()
        for sequence in 1...2 {
            writer.beginObject()
            writer.field("sequence", sequence as Int?)
            writer.endObject()
            writer.bytes.append(0x0A)
        }
        #expect(text(writer) == "{\"sequence\":1}\n{\"sequence\":2}\n")
    }

    @Test("reset() empties the buffer and the nesting state")
    func reset() {
        var writer = JSONWriter()
        writer.beginArray()
        writer.int(1)
        writer.reset()
        writer.beginArray()
        writer.int(2)
        writer.endArray()
        #expect(text(writer) == "[2]")
    }

    @Test("Deep nesting up to 64 levels")
    func deepNesting() {
        var writer = JSONWriter()
        for _ in 0..<64 { writer.beginArray() }
        for _ in 0..<64 { writer.endArray() }
        #expect(text(writer) == String(repeating: "[", count: 64) + String(repeating: "]", count: 64))
    }
}
