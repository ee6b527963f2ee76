import Routing
import Testing

@Suite("Percent-decoding")
struct PercentDecodingTests {
    static let validPathSegments: [(String, String)] = [
        ("abc", "abc"),
        ("", ""),
        ("a%20b", "a b"),
        ("test.edu%2Fbag1", "test.edu/bag1"),
        ("test.edu%2fbag1", "test.edu/bag1"),
        ("caf%C3%A9", "café"),
        ("caf%c3%a9", "café"),
        ("café", "café"),
        ("x+y.txt", "x+y.txt"),
        ("x%2By.txt", "x+y.txt"),
        ("%25", "%"),
        ("%2525", "%25"),
        ("a%26b%3F.txt", "a&b?.txt"),
        ("%F0%9F%93%A6", "📦"),
    ]

    @Test("valid path segments decode; + is not special in paths (API-1)", arguments: validPathSegments)
    func validPath(_ raw: String, _ expected: String) throws {
        #expect(try PercentDecoding.decode(raw[...]) == expected)
    }

    static let invalidPathSegments: [(String, PercentDecodingFailure)] = [
        ("%", .malformedEscape),
        ("abc%", .malformedEscape),
        ("%4", .malformedEscape),
        ("%G0", .malformedEscape),
        ("%0G", .malformedEscape),
        ("%%41", .malformedEscape),
        ("%C3%28", .invalidUTF8),
        ("%FF", .invalidUTF8),
        ("%C3", .invalidUTF8),
        ("%ED%A0%80", .invalidUTF8),  // an encoded UTF-16 surrogate
        ("%C0%AF", .invalidUTF8),  // overlong encoding of "/"
        ("%00", .containsNUL),
        ("a%00b", .containsNUL),
        ("a\u{0}b", .containsNUL),
    ]

    @Test("malformed escapes, invalid UTF-8 and U+0000 are errors (API-2)", arguments: invalidPathSegments)
    func invalidPath(_ raw: String, _ failure: PercentDecodingFailure) {
        #expect(throws: PathDecodingError(failure)) { try PercentDecoding.decode(raw[...]) }
    }

    @Test("the path error message is fit for a 400 and quotes no input")
    func pathErrorMessage() {
        #expect(PathDecodingError(.malformedEscape).message == "bad path encoding: malformed percent-escape")
        #expect(PathDecodingError(.invalidUTF8).message == "bad path encoding: not valid UTF-8 after percent-decoding")
        #expect(PathDecodingError(.containsNUL).message == "bad path encoding: contains U+0000")
    }

    static let formComponents: [(String, String)] = [
        ("datetime+DESC", "datetime DESC"),
        ("Glacier+Restore", "Glacier Restore"),
        ("x%2By", "x+y"),
        ("a+%2B+b", "a + b"),
        ("a%20b", "a b"),
        ("2024-01-01T00:00:00Z", "2024-01-01T00:00:00Z"),
        ("", ""),
    ]

    @Test("form components: + is a space, then %XX (API-48)", arguments: formComponents)
    func formComponent(_ raw: String, _ expected: String) throws {
        #expect(try PercentDecoding.decodeFormComponent(raw[...]) == expected)
    }

    @Test("form components follow the same UTF-8 and NUL rules")
    func invalidFormComponent() {
        #expect(throws: PercentDecodingFailure.invalidUTF8) { try PercentDecoding.decodeFormComponent("%C3%28") }
        #expect(throws: PercentDecodingFailure.containsNUL) { try PercentDecoding.decodeFormComponent("+%00") }
        #expect(throws: PercentDecodingFailure.malformedEscape) { try PercentDecoding.decodeFormComponent("a+%4") }
    }
}
