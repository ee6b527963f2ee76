import Formats
import Testing

/// String decoding: UTF-8 validation, escapes, and the word-at-a-time fast path
/// (domain.md DOM-5: what is decoded must be exactly what was sent).
@Suite struct JSONStringDecodingTests {
    typealias T = JSONTest

    /// Wraps raw bytes in quotes as a JSON string document.
    private func quoted(_ content: [UInt8]) -> [UInt8] {
        [0x22] + content + [0x22]
    }

    /// The UTF-8 bytes of the string `bytes` decode to.
    private func decodedBytes(_ bytes: [UInt8]) throws -> [UInt8] {
        let text = try #require(try JSONParser.parse(bytes).stringValue)
        return Array(text.utf8)
    }

    @Test("DOM-5: valid UTF-8 at every boundary of the well-formed table is kept byte for byte")
    func validUTF8Boundaries() throws {
        let sequences: [[UInt8]] = [
            [0xC2, 0x80], [0xDF, 0xBF],  // U+0080, U+07FF
            [0xE0, 0xA0, 0x80], [0xE1, 0x80, 0x80], [0xEC, 0xBF, 0xBF],  // U+0800, U+1000, U+CFFF
            [0xED, 0x80, 0x80], [0xED, 0x9F, 0xBF],  // U+D000, U+D7FF (just below the surrogates)
            [0xEE, 0x80, 0x80], [0xEF, 0xBF, 0xBF],  // U+E000, U+FFFF
            [0xF0, 0x90, 0x80, 0x80], [0xF1, 0x80, 0x80, 0x80],  // U+10000, U+40000
            [0xF3, 0xBF, 0xBF, 0xBF], [0xF4, 0x8F, 0xBF, 0xBF],  // U+FFFFF, U+10FFFF
        ]
        for sequence in sequences {
            #expect(try decodedBytes(quoted(sequence)) == sequence, "\(sequence)")
            // The same bytes after an escape take the slow path and must survive it unchanged.
            let afterEscape: [UInt8] = [0x5C, 0x74] + sequence + Array("0123456789".utf8)
            #expect(try decodedBytes(quoted(afterEscape)) == [0x09] + sequence + Array("0123456789".utf8))
        }
    }

    @Test("Invalid UTF-8 is an error at the first byte of the bad sequence, wherever it appears")
    func invalidUTF8() {
        let cases: [(bytes: [UInt8], offset: Int)] = [
            (quoted([0xC3, 0x28]), 1),  // lead byte followed by ASCII
            (quoted([0xFF]), 1),
            (quoted([0xFE]), 1),
            (quoted([0xC0, 0xAF]), 1),  // overlong '/'
            (quoted([0xC1, 0xBF]), 1),  // overlong
            (quoted([0xE0, 0x80, 0xAF]), 1),  // overlong 3-byte
            (quoted([0xF0, 0x80, 0x80, 0xAF]), 1),  // overlong 4-byte
            (quoted([0xED, 0xA0, 0x80]), 1),  // U+D800 encoded in UTF-8
            (quoted([0xED, 0xBF, 0xBF]), 1),  // U+DFFF encoded in UTF-8
            (quoted([0xF4, 0x90, 0x80, 0x80]), 1),  // above U+10FFFF
            (quoted([0xF5, 0x80, 0x80, 0x80]), 1),
            (quoted([0x80]), 1),  // stray continuation byte
            (quoted([0x61, 0xBF]), 2),
            (quoted([0xE2, 0x82]), 1),  // truncated before the closing quote
            (quoted([0xE2, 0x28, 0xA1]), 1),  // bad second byte
            (quoted([0xE2, 0x82, 0x28]), 1),  // bad third byte
            (quoted([0xF0, 0x9F, 0x9A]), 1),  // truncated 4-byte sequence
            ([0x22, 0xE2, 0x82], 1),  // truncated by the end of the input
            ([0x22, 0xF0], 1),
            (quoted(Array("abcdefghij".utf8) + [0xFF]), 11),  // after a full 8-byte word
            (quoted([0x5C, 0x6E, 0xFF]), 3),  // after an escape (slow path)
            (quoted([0x5C, 0x6E] + Array("abcdefghij".utf8) + [0xC0, 0x80]), 13),
            ([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D], 2),  // in an object key
            ([0x5B, 0x31, 0x2C] + quoted([0xC3, 0xA9, 0xC3]), 6),  // inside an array
        ]
        for (bytes, offset) in cases {
            #expect(T.error(bytes) == JSONParseError(offset: offset, reason: "invalid UTF-8"), "\(bytes)")
        }
    }

    @Test("Escapes decode to exactly one character each, surrogate pairs to one scalar")
    func escapes() throws {
        let pairs: [(json: String, text: String)] = [
            (#""\"""#, "\""), (#""\\""#, "\\"), (#""\/""#, "/"), (#""\b""#, "\u{08}"), (#""\f""#, "\u{0C}"),
            (#""\n""#, "\n"), (#""\r""#, "\r"), (#""\t""#, "\t"),
            (#""\u0041""#, "A"), (#""\u00ff""#, "\u{FF}"), (#""\u07FF""#, "\u{7FF}"), (#""\u0800""#, "\u{800}"),
            (#""\uD7FF""#, "\u{D7FF}"), (#""\uE000""#, "\u{E000}"), (#""\uffff""#, "\u{FFFF}"),
            (#""\ud800\udc00""#, "\u{10000}"), (#""\uDBFF\uDFFF""#, "\u{10FFFF}"),
            (#""\u001f\u0001""#, "\u{1F}\u{01}"),
            (#""x\u0000y""#, "x\u{0}y"),
        ]
        for (json, text) in pairs {
            let decoded = try #require(try T.parse(json).stringValue, "\(json)")
            #expect(Array(decoded.utf8) == Array(text.utf8), "\(json)")
        }
    }

    @Test("A special byte is found at every position around the 8-byte fast-path words")
    func specialBytePositions() throws {
        let filler = Array("abcdefghijklmnopqrstuvwxyz0123".utf8)
        for length in 0...filler.count {
            let run = Array(filler[0..<length])
            // Closing quote right after `length` plain bytes.
            #expect(try decodedBytes(quoted(run)) == run, "length \(length)")
            for position in 0...length {
                var control = run
                control.insert(0x01, at: position)
                #expect(
                    T.error(quoted(control)) == JSONParseError(offset: 1 + position, reason: "unescaped control character in string")
                )
                var nonASCII = run
                nonASCII.insert(contentsOf: [0xC3, 0xA9], at: position)
                #expect(try decodedBytes(quoted(nonASCII)) == nonASCII)
                var invalid = run
                invalid.insert(0x80, at: position)
                #expect(T.error(quoted(invalid)) == JSONParseError(offset: 1 + position, reason: "invalid UTF-8"))
                var escaped = run
                escaped.insert(contentsOf: [0x5C, 0x22], at: position)
                var expected = run
                expected.insert(0x22, at: position)
                #expect(try decodedBytes(quoted(escaped)) == expected)
            }
        }
    }

    @Test("Random text round-trips through JSONEscaping and the parser byte for byte")
    func randomRoundTrip() throws {
        var generator = SplitMix64(seed: 0x4A53_4F4E)
        // Weighted toward the bytes that matter: controls, quote, backslash, every UTF-8 length.
        let palette: [Unicode.Scalar] = [
            "a", "Z", "0", " ", "/", "~", "\u{7F}", "\"", "\\", "\u{0}", "\n", "\t", "\u{1F}",
            "\u{E9}", "\u{301}", "\u{7FF}", "\u{800}", "\u{2028}", "\u{D7FF}", "\u{E000}", "\u{FFFF}",
            "\u{10000}", "\u{1F680}", "\u{10FFFF}",
        ]
        for _ in 0..<500 {
            let length = Int.random(in: 0..<64, using: &generator)
            var text = String.UnicodeScalarView()
            for _ in 0..<length {
                let plainRun = Int.random(in: 0..<3, using: &generator) == 0
                text.append(plainRun ? "q" : palette.randomElement(using: &generator)!)
            }
            let original = String(text)
            var json: [UInt8] = [0x22]
            JSONEscaping.appendEscaped(original, to: &json)
            json.append(0x22)
            #expect(try decodedBytes(json) == Array(original.utf8))
        }
    }

    @Test("Strings that fit the small-string limit and long ones decode alike")
    func shortAndLongStrings() throws {
        for length in [0, 1, 15, 16, 63, 64, 65, 4096, 100_000] {
            let text = String(repeating: "x", count: length)
            #expect(try T.parse("\"\(text)\"") == .string(text))
            #expect(try T.parse("\"\(text)\\n\"") == .string(text + "\n"))
        }
    }
}
