import Formats
import Testing

/// RFC 4180 output (auditor.md AUD-11).
@Suite struct CSVTests {
    private func field(_ value: String) -> String {
        var output: [UInt8] = []
        CSV.appendField(value, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test("AUD-11: plain fields are written unchanged")
    func plainFields() {
        #expect(field("test.edu/bag1") == "test.edu/bag1")
        #expect(field("café 日本") == "café 日本")
        #expect(field("=SUM(A1)") == "=SUM(A1)")  // no formula neutralizing: exports are evidence
        #expect(field(" padded ") == " padded ")
        #expect(field("") == "")
        #expect(field("tab\there") == "tab\there")
    }

    @Test("AUD-11: fields with comma, quote, CR or LF are quoted, quotes doubled")
    func quotedFields() {
        #expect(field("a,b") == "\"a,b\"")
        #expect(field("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(field("\"") == "\"\"\"\"")
        #expect(field("line1\nline2") == "\"line1\nline2\"")
        #expect(field("cr\rhere") == "\"cr\rhere\"")
        #expect(field("\r\n") == "\"\r\n\"")
    }

    @Test("AUD-11: rows are comma-separated, nil is an empty field, CRLF ends each row")
    func rows() {
        var output: [UInt8] = []
        CSV.appendRow(["identifier", "detail", "sequence"], to: &output)
        CSV.appendRow(["6f1c", nil, "1"], to: &output)
        CSV.appendRow(["x", "a,\"b\"", nil], to: &output)
        #expect(
            String(decoding: output, as: UTF8.self)
                == "identifier,detail,sequence\r\n6f1c,,1\r\nx,\"a,\"\"b\"\"\",\r\n")
    }

    @Test("Raw-byte fields (libpq cells) and the separator helpers")
    func rawBytes() {
        var output: [UInt8] = []
        Array("a\"b".utf8).withUnsafeBytes { CSV.appendField($0, to: &output) }
        CSV.appendSeparator(to: &output)
        Array("plain".utf8).withUnsafeBytes { CSV.appendField($0, to: &output) }
        CSV.appendLineEnd(to: &output)
        #expect(String(decoding: output, as: UTF8.self) == "\"a\"\"b\",plain\r\n")
    }
}
