import Routing
import Testing

@Suite("Route parameters")
struct RouteParametersTests {
    private func parameters(_ raw: String, name: String = "file") -> RouteParameters {
        RouteParameters(names: [name], rawValues: [raw[...]])
    }

    @Test("API-4 example: a literal + is kept first, read as a space only on the retry")
    func plusHandling() throws {
        let plus = parameters("test.edu%2Fbag%2Fdata%2Fx+y.txt")
        #expect(try plus.decoded("file") == "test.edu/bag/data/x+y.txt")
        #expect(try plus.decodedPlusAsSpace("file") == "test.edu/bag/data/x y.txt")
        #expect(plus.containsLiteralPlus("file"))

        let encodedPlus = parameters("test.edu%2Fbag%2Fdata%2Fx%2By.txt")
        #expect(try encodedPlus.decoded("file") == "test.edu/bag/data/x+y.txt")
        #expect(try encodedPlus.decodedPlusAsSpace("file") == "test.edu/bag/data/x+y.txt", "%2B never becomes a space")
        #expect(!encodedPlus.containsLiteralPlus("file"))

        let lowercaseEscape = parameters("x%2by.txt")
        #expect(try lowercaseEscape.decodedPlusAsSpace("file") == "x+y.txt")
    }

    @Test("raw keeps the escapes; unknown names are nil")
    func raw() {
        let p = RouteParameters(names: ["obj", "rest"], rawValues: ["test.edu%2Fbag", "a/b%20c"])
        #expect(p.raw("obj") == "test.edu%2Fbag")
        #expect(p.raw("rest") == "a/b%20c")
        #expect(p.raw("missing") == nil)
        #expect(p.parameterNames == ["obj", "rest"])
        #expect(RouteParameters.none.parameterNames.isEmpty)
    }

    @Test("decoding errors of a parameter are path errors (API-2)")
    func decodingErrors() {
        #expect(throws: PathDecodingError(.invalidUTF8)) { try parameters("a%C3%28").decoded("file") }
        #expect(throws: PathDecodingError(.containsNUL)) { try parameters("a%00b").decodedPlusAsSpace("file") }
        #expect(throws: PathDecodingError(.malformedEscape)) { try parameters("a%G0").decoded("file") }
    }

    @Test("wildcard remainder decodes as a whole, keeping literal slashes")
    func wildcardDecoding() throws {
        let p = RouteParameters(names: ["rest"], rawValues: ["test.edu/bag1/data/a%20b.txt"])
        #expect(try p.decoded("rest") == "test.edu/bag1/data/a b.txt")
    }

    static let integerCases: [(String, Int64?)] = [
        ("7", 7),
        ("0", 0),
        ("007", 7),
        ("9223372036854775807", Int64.max),
        ("9223372036854775808", nil),
        ("-7", nil),
        ("+7", nil),
        ("%37", nil),
        ("7a", nil),
        (" 7", nil),
        ("٣", nil),
        ("1e3", nil),
    ]

    @Test("int64: ASCII digits only, no sign, fits Int64", arguments: integerCases)
    func int64(_ raw: String, _ expected: Int64?) {
        #expect(parameters(raw, name: "id").int64("id") == expected)
    }
}
