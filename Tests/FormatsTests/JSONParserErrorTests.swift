import Formats
import Testing

/// Documents RFC 8259 forbids, each with the byte offset and reason the parser must report
/// (api-v2.md API-22: the message after `malformed JSON`).
@Suite struct JSONParserErrorTests {
    typealias T = JSONTest

    static let invalidDocuments: [(json: String, offset: Int, reason: String)] = [
        // Exactly one value.
        ("", 0, "empty input"),
        (" \t\r\n", 4, "empty input"),
        ("1 2", 2, "unexpected character '2'"),
        ("[1]x", 3, "unexpected character 'x'"),
        (#""a""b""#, 3, "unexpected character '\"'"),
        ("{}}", 2, "unexpected character '}'"),
        // Only SP, HTAB, LF, CR are whitespace.
        ("\u{0C}1", 0, "unexpected byte 0x0C"),
        ("\u{0B}1", 0, "unexpected byte 0x0B"),
        ("\u{A0}1", 0, "unexpected byte 0xC2"),
        ("\u{FEFF}1", 0, "unexpected byte 0xEF"),  // no byte-order mark
        // No comments.
        ("// c\n1", 0, "unexpected character '/'"),
        ("/* c */ 1", 0, "unexpected character '/'"),
        ("1 // c", 2, "unexpected character '/'"),
        ("[1, /* c */ 2]", 4, "unexpected character '/'"),
        ("# c\n1", 0, "unexpected character '#'"),
        // No trailing commas, no missing separators.
        ("[1,]", 3, "unexpected character ']'"),
        (#"{"a":1,}"#, 7, "unexpected character '}'"),
        ("[,1]", 1, "unexpected character ','"),
        ("[1,,2]", 3, "unexpected character ','"),
        ("{,}", 1, "unexpected character ','"),
        ("[1 2]", 3, "unexpected character '2'"),
        (#"{"a" 1}"#, 5, "unexpected character '1'"),
        (#"{"a":}"#, 5, "unexpected character '}'"),
        (#"{"a":1 "b":2}"#, 7, "unexpected character '\"'"),
        (#"{"a"::1}"#, 5, "unexpected character ':'"),
        ("{1:2}", 1, "unexpected character '1'"),
        ("{a:1}", 1, "unexpected character 'a'"),
        (#"["a":1]"#, 4, "unexpected character ':'"),
        ("]", 0, "unexpected character ']'"),
        ("}", 0, "unexpected character '}'"),
        // Unclosed containers.
        ("[", 1, "unexpected end of input"),
        ("[1", 2, "unexpected end of input"),
        ("[1,", 3, "unexpected end of input"),
        ("{", 1, "unexpected end of input"),
        (#"{"a""#, 4, "unexpected end of input"),
        (#"{"a":"#, 5, "unexpected end of input"),
        (#"{"a":1"#, 6, "unexpected end of input"),
        (#"{"a":1,"#, 7, "unexpected end of input"),
        // No single quotes.
        ("'a'", 0, "unexpected character '''"),
        ("{'a':1}", 1, "unexpected character '''"),
        // Literals are lower case and exact; no NaN or Infinity.
        ("tru", 0, "invalid literal"),
        ("trUe", 0, "invalid literal"),
        ("True", 0, "unexpected character 'T'"),
        ("nul", 0, "invalid literal"),
        ("nulll", 4, "unexpected character 'l'"),
        ("[fals]", 1, "invalid literal"),
        ("NaN", 0, "unexpected character 'N'"),
        ("Infinity", 0, "unexpected character 'I'"),
        ("-Infinity", 1, "expected digit, found character 'I'"),
        ("undefined", 0, "unexpected character 'u'"),
        // Numbers: no leading zeros, no '+', '-' needs a digit, '.' needs digits on both sides,
        // an exponent needs digits.
        ("01", 0, "leading zero in number"),
        ("-01", 1, "leading zero in number"),
        ("00", 0, "leading zero in number"),
        ("[007]", 1, "leading zero in number"),
        ("+1", 0, "unexpected character '+'"),
        ("-", 1, "unexpected end of input"),
        ("- 1", 1, "expected digit, found character ' '"),
        ("--1", 1, "expected digit, found character '-'"),
        (".5", 0, "unexpected character '.'"),
        ("-.5", 1, "expected digit, found character '.'"),
        ("1.", 2, "unexpected end of input"),
        ("[1.]", 3, "expected digit, found character ']'"),
        ("1.e5", 2, "expected digit, found character 'e'"),
        ("1e", 2, "unexpected end of input"),
        ("1e+", 3, "unexpected end of input"),
        ("1E-x", 3, "expected digit, found character 'x'"),
        ("1e1.5", 3, "unexpected character '.'"),
        ("1.5.3", 3, "unexpected character '.'"),
        ("0x10", 1, "unexpected character 'x'"),
        ("1_000", 1, "unexpected character '_'"),
        // Strings.
        (#""abc"#, 0, "unterminated string"),
        (#"["abc"#, 1, "unterminated string"),
        (#""abc\"#, 0, "unterminated string"),
        (#""abc\""#, 0, "unterminated string"),
        (#""\u00"#, 0, "unterminated string"),
        (#""\ud800"#, 0, "unterminated string"),
        (#""\ud800\"#, 0, "unterminated string"),
        (#""\ud800\u"#, 0, "unterminated string"),
        (#""\ud800\udc"#, 0, "unterminated string"),
        ("\"a\nb\"", 2, "unescaped control character in string"),
        ("\"\t\"", 1, "unescaped control character in string"),
        ("\"\u{0}\"", 1, "unescaped control character in string"),
        ("\"\u{1F}\"", 1, "unescaped control character in string"),
        ("\"a\\n\u{1}\"", 4, "unescaped control character in string"),  // after an escape
        (#""\x""#, 1, "invalid escape"),
        (#""\'""#, 1, "invalid escape"),
        (#""\U0041""#, 1, "invalid escape"),
        (#""ab\ ""#, 3, "invalid escape"),
        (#""\u12G4""#, 1, "invalid \\u escape"),
        (#""\u12""#, 1, "invalid \\u escape"),
        (#""\u""#, 1, "invalid \\u escape"),
        (#""\ud800\u12""#, 7, "invalid \\u escape"),
        // Lone surrogates cannot be represented in UTF-8.
        (#""\ud800""#, 1, "lone surrogate in \\u escape"),
        (#""\uDBFF""#, 1, "lone surrogate in \\u escape"),
        (#""\udc00""#, 1, "lone surrogate in \\u escape"),
        (#""\uDFFF\uD800""#, 1, "lone surrogate in \\u escape"),
        (#""ab\ud800x""#, 3, "lone surrogate in \\u escape"),
        (#""\ud800\u0041""#, 1, "lone surrogate in \\u escape"),
        (#""\ud800\ud800""#, 1, "lone surrogate in \\u escape"),
        (#""\ud800\n""#, 1, "lone surrogate in \\u escape"),
        (#""\ud800x"#, 1, "lone surrogate in \\u escape"),  // decided before the input ends
        (#"{"\udc00":1}"#, 2, "lone surrogate in \\u escape"),
    ]

    @Test("API-22: every rule violation is an error with the expected offset and reason")
    func invalidDocumentsFail() {
        for (json, offset, reason) in Self.invalidDocuments {
            let error = T.error(json)
            #expect(error == JSONParseError(offset: offset, reason: reason), "\(json.debugDescription)")
        }
    }

    @Test("The description reads 'reason at byte offset'")
    func errorDescription() throws {
        let error = try #require(T.error("[1,]"))
        #expect(error.description == "unexpected character ']' at byte 3")
    }

    @Test("Depth limit: maxDepth open containers are allowed, one more is 'nesting too deep'")
    func depthLimit() throws {
        let limit = 128
        let deepest = String(repeating: "[", count: limit) + String(repeating: "]", count: limit)
        var value = try T.parse(deepest)
        var depth = 0
        while let inner = value.arrayValue {
            depth += 1
            value = inner.first ?? .null
        }
        #expect(depth == limit)

        let tooDeep = String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)
        #expect(T.error(tooDeep) == JSONParseError(offset: limit, reason: "nesting too deep"))

        // Objects count too, and an empty container at the limit is still one level too many.
        let objects = String(repeating: #"{"a":"#, count: 3) + "{}" + String(repeating: "}", count: 3)
        #expect(T.error(objects, maxDepth: 3) == JSONParseError(offset: 15, reason: "nesting too deep"))
        #expect(try T.parse(objects, maxDepth: 4).objectValue?["a"]?.objectValue?["a"] != nil)
    }

    @Test("maxDepth 0 allows only a scalar document; a negative limit behaves like 0")
    func zeroDepth() throws {
        #expect(try T.parse("7", maxDepth: 0) == T.number("7"))
        #expect(try T.parse(#""s""#, maxDepth: -5) == .string("s"))
        #expect(T.error("[]", maxDepth: 0) == JSONParseError(offset: 0, reason: "nesting too deep"))
        #expect(T.error(" {}", maxDepth: -1) == JSONParseError(offset: 1, reason: "nesting too deep"))
    }

    @Test("1 MB of '[' fails cleanly, with the default limit and with no practical limit")
    func megabyteOfOpenBrackets() {
        let bytes = [UInt8](repeating: UInt8(ascii: "["), count: 1_000_000)
        #expect(T.error(bytes) == JSONParseError(offset: 128, reason: "nesting too deep"))
        // The parser keeps its own stack, so even an unlimited depth cannot overflow the call stack.
        #expect(T.error(bytes, maxDepth: .max) == JSONParseError(offset: 1_000_000, reason: "unexpected end of input"))
        let objects = Array(String(repeating: #"{"k":"#, count: 200_000).utf8)
        #expect(T.error(objects) == JSONParseError(offset: 128 * 5, reason: "nesting too deep"))
        #expect(T.error(objects, maxDepth: .max) == JSONParseError(offset: objects.count, reason: "unexpected end of input"))
    }
}
