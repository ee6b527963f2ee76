import Formats
import Testing

/// PREMIS text escaping (auditor.md AUD-25).
@Suite struct XMLEscapingTests {
    @Test("AUD-25: markup characters become entities")
    func markup() {
        #expect(XMLEscaping.escapeText("a & b < c > d") == "a &amp; b &lt; c &gt; d")
        #expect(XMLEscaping.escapeText("say \"hi\" 'x'") == "say \"hi\" 'x'")
        #expect(XMLEscaping.escapeAttribute("say \"hi\" & <x>") == "say &quot;hi&quot; &amp; &lt;x&gt;")
        #expect(XMLEscaping.escapeText("]]>") == "]]&gt;")
    }

    @Test("AUD-25: U+001B is written as the text \\u001B (upper-case hex)")
    func escapeCharacter() {
        #expect(XMLEscaping.escapeText("a\u{1B}b") == #"a\u001Bb"#)
    }

    @Test("AUD-25: every character XML 1.0 forbids is written as \\uXXXX")
    func forbiddenCharacters() {
        let forbidden: [UInt8] = Array(0x00...0x08) + [0x0B, 0x0C] + Array(0x0E...0x1F)
        for byte in forbidden {
            let hex = String(byte, radix: 16, uppercase: true)
            let expected = #"\u00"# + (hex.count == 1 ? "0" + hex : hex)
            var output: [UInt8] = []
            [byte].withUnsafeBufferPointer { XMLEscaping.appendText($0, to: &output) }
            #expect(String(decoding: output, as: UTF8.self) == expected, "byte \(byte)")
            var attribute: [UInt8] = []
            [byte].withUnsafeBufferPointer { XMLEscaping.appendAttribute($0, to: &attribute) }
            #expect(attribute == output, "byte \(byte)")
        }
        #expect(XMLEscaping.escapeText("x\u{FFFE}y\u{FFFF}z") == #"x\uFFFEy\uFFFFz"#)
    }

    @Test("TAB and LF stay literal in text; CR and (in attributes) TAB/LF become character references")
    func whitespace() {
        #expect(XMLEscaping.escapeText("a\tb\nc") == "a\tb\nc")
        #expect(XMLEscaping.escapeText("a\rb") == "a&#13;b")
        #expect(XMLEscaping.escapeAttribute("a\tb\nc\rd") == "a&#9;b&#10;c&#13;d")
    }

    @Test("Other characters, including U+007F, U+FFFD and non-ASCII, are literal")
    func literal() {
        let text = "café 日本 🚀 \u{7F} \u{FFFD} \u{FFEF} \u{EFBF}"
        #expect(XMLEscaping.escapeText(text) == text)
        #expect(XMLEscaping.escapeText("") == "")
    }

    @Test("String, typed and raw byte entry points agree")
    func entryPoints() {
        let text = "<a>&\u{1B}\u{FFFF}"
        let bytes = Array(text.utf8)
        var fromString: [UInt8] = []
        XMLEscaping.appendText(text, to: &fromString)
        var fromRaw: [UInt8] = []
        bytes.withUnsafeBytes { XMLEscaping.appendText($0, to: &fromRaw) }
        #expect(String(decoding: fromString, as: UTF8.self) == #"&lt;a&gt;&amp;\u001B\uFFFF"#)
        #expect(fromRaw == fromString)
        var attribute: [UInt8] = []
        bytes.withUnsafeBytes { XMLEscaping.appendAttribute($0, to: &attribute) }
        #expect(attribute == fromString)
    }
}
