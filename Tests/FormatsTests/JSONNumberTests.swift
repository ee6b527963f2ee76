import Formats
import Testing

/// Numbers are kept as their lexeme and converted on demand (api-v2.md API-25: integers only).
@Suite struct JSONNumberTests {
    typealias T = JSONTest

    /// Parses `lexeme` as a whole document and returns the number.
    private func number(_ lexeme: String) throws -> JSONNumber {
        try #require(try T.parse(lexeme).numberValue)
    }

    @Test("API-25: int64 for integer lexemes within Int64, isInteger for every integer lexeme")
    func integerConversions() throws {
        let cases: [(lexeme: String, isInteger: Bool, int64: Int64?)] = [
            ("0", true, 0),
            ("-0", true, 0),
            ("7", true, 7),
            ("-42", true, -42),
            ("9223372036854775807", true, .max),
            ("9223372036854775808", true, nil),  // Int64.max + 1: an integer, but not an Int64
            ("-9223372036854775808", true, .min),
            ("-9223372036854775809", true, nil),
            ("18446744073709551616", true, nil),
            ("123456789012345678901234567890", true, nil),
            ("1.0", false, nil),
            ("1e2", false, nil),
            ("1E+2", false, nil),
            ("5.5", false, nil),
            ("-0.0", false, nil),
        ]
        for (lexeme, isInteger, int64) in cases {
            let parsed = try number(lexeme)
            #expect(parsed.text == lexeme)
            #expect(parsed.isInteger == isInteger, "\(lexeme)")
            #expect(parsed.int64 == int64, "\(lexeme)")
        }
    }

    @Test("double is correctly rounded, nil only when the magnitude overflows")
    func doubleConversions() throws {
        let cases: [(lexeme: String, double: Double?)] = [
            ("0", 0), ("1.5e-3", 0.0015), ("-12.75", -12.75), ("2.5E+10", 2.5e10), ("1e2", 100),
            ("9223372036854775807", 9_223_372_036_854_775_807.0),
            ("9223372036854775808", 9_223_372_036_854_775_808.0),
            ("123456789012345678901234567890", 1.2345678901234568e29),
            ("1.7976931348623157e308", .greatestFiniteMagnitude),
            ("1e308", 1e308),
            ("1e400", nil), ("-1E+400", nil), ("1e999999999999999999999", nil),
            ("1e-400", 0), ("4.9e-324", .leastNonzeroMagnitude),
        ]
        for (lexeme, double) in cases {
            #expect(try number(lexeme).double == double, "\(lexeme)")
        }
        #expect(try number("-0").double?.sign == .minus)
    }

    @Test("Big exponents are valid JSON and keep their lexeme")
    func bigExponents() throws {
        let value = try T.parse("[1e400,-2E-999999,3e+0000000000000000000001]")
        #expect(value.arrayValue?.compactMap { $0.numberValue?.text } == ["1e400", "-2E-999999", "3e+0000000000000000000001"])
        #expect(value.arrayValue?.allSatisfy { $0.numberValue?.isInteger == false } == true)
    }

    @Test("JSONNumber(text) accepts exactly one RFC 8259 number")
    func initFromText() {
        #expect(JSONNumber("12")?.int64 == 12)
        #expect(JSONNumber("-0.5e-7")?.text == "-0.5e-7")
        for bad in ["", " 1", "1 ", "01", "+1", "1.", ".1", "1e", "NaN", "[1]", "\"1\"", "1,2", "0x1"] {
            #expect(JSONNumber(bad) == nil, "\(bad.debugDescription)")
        }
    }

    @Test("Numbers compare by lexeme")
    func lexemeEquality() {
        #expect(JSONNumber("1") == JSONNumber("1"))
        #expect(JSONNumber("1") != JSONNumber("1.0"))
        #expect(JSONNumber("1e2") != JSONNumber("100"))
        #expect(JSONNumber("-0")?.description == "-0")
    }
}
