import Formats
import Testing

/// JSON string escaping (api-v2.md API-33, auditor.md AUD-42).
@Suite struct JSONEscapingTests {
    /// Escapes with the public String entry point and returns the result as text.
    private func escaped(_ text: String) -> String {
        var output: [UInt8] = []
        JSONEscaping.appendEscaped(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    @Test("AUD-42: the seven short escapes")
    func shortEscapes() {
        #expect(escaped("\"") == #"\""#)
        #expect(escaped("\\") == #"\\"#)
        #expect(escaped("\u{08}") == #"\b"#)
        #expect(escaped("\t") == #"\t"#)
        #expect(escaped("\n") == #"\n"#)
        #expect(escaped("\u{0C}") == #"\f"#)
        #expect(escaped("\r") == #"\r"#)
    }

    @Test("AUD-42: other control characters as lower-case \\u00xx")
    func otherControlCharacters() {
        #expect(escaped("\u{00}") == #"\u0000"#)
        #expect(escaped("\u{01}") == #"\u0001"#)
        #expect(escaped("\u{07}") == #"\u0007"#)
        #expect(escaped("\u{0B}") == #"\u000b"#)
        #expect(escaped("\u{0E}") == #"\u000e"#)
        #expect(escaped("\u{1B}") == #"\u001b"#)
        #expect(escaped("\u{1F}") == #"\u001f"#)
    }

    @Test("AUD-42: every byte 0x00-0x1F is escaped, exactly as the rule says")
    func everyControlCharacter() {
        let named: [UInt8: String] = [0x08: #"\b"#, 0x09: #"\t"#, 0x0A: #"\n"#, 0x0C: #"\f"#, 0x0D: #"\r"#]
        for byte in UInt8(0)..<0x20 {
            var output: [UInt8] = []
            JSONEscaping.appendEscaped([byte], to: &output)
            let hex = String(byte, radix: 16)
            let expected = named[byte] ?? #"\u00"# + (hex.count == 1 ? "0" + hex : hex)
            #expect(String(decoding: output, as: UTF8.self) == expected, "byte \(byte)")
        }
    }

    @Test("API-33 / AUD-42: slash, DEL and non-ASCII are written literally")
    func literalCharacters() {
        #expect(escaped("test.edu/bag1") == "test.edu/bag1")
        #expect(escaped("\u{7F}") == "\u{7F}")
        #expect(escaped("café 日本 🚀 \u{2028}") == "café 日本 🚀 \u{2028}")
        #expect(escaped(" !#$%&'()*+,-.:;<=>?@[]^_`{|}~") == " !#$%&'()*+,-.:;<=>?@[]^_`{|}~")
        #expect(escaped("") == "")
    }

    @Test("Escapes inside longer text keep the clean runs around them")
    func mixedText() {
        #expect(escaped("a\"b\\c\nd\u{01}e") == #"a\"b\\c\nd\u0001e"#)
        #expect(escaped("\"\"") == #"\"\""#)
        #expect(escaped("end\n") == #"end\n"#)
        #expect(escaped("\nstart") == #"\nstart"#)
    }

    @Test("Raw-buffer, byte-array and String entry points agree")
    func entryPointsAgree() {
        let text = "Fixity check against registered hash\n\"café\"/tab\there\u{01}"
        let bytes = Array(text.utf8)
        var fromString: [UInt8] = []
        JSONEscaping.appendEscaped(text, to: &fromString)
        var fromArray: [UInt8] = []
        JSONEscaping.appendEscaped(bytes, to: &fromArray)
        var fromRaw: [UInt8] = []
        bytes.withUnsafeBytes { JSONEscaping.appendEscaped($0, to: &fromRaw) }
        var fromSequence: [UInt8] = []
        JSONEscaping.appendEscaped(text.utf8.lazy.map { $0 }, to: &fromSequence)
        let expected = #"Fixity check against registered hash\n\"café\"/tab\there\u0001"#
        #expect(String(decoding: fromString, as: UTF8.self) == expected)
        #expect(fromArray == fromString)
        #expect(fromRaw == fromString)
        #expect(fromSequence == fromString)
        #expect(JSONEscaping.escaped(text) == expected)
    }

    @Test("Appending keeps what the buffer already holds")
    func appendsToExistingBytes() {
        var output = Array("prefix:".utf8)
        JSONEscaping.appendEscaped("x\"y", to: &output)
        #expect(String(decoding: output, as: UTF8.self) == #"prefix:x\"y"#)
    }
}
