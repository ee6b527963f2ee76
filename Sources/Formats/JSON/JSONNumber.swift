/// A JSON number kept as the exact lexeme that was sent.
///
/// Why text and not `Double`: the registry accepts only JSON integers within Int64 for integer fields
/// (api-v2.md API-25), must tell `5` from `5.0` and from `1e2`, and must not lose precision on
/// integers above 2^53. Conversion happens on demand, only for the fields a handler reads.
public struct JSONNumber: Sendable, Equatable, CustomStringConvertible {
    /// The lexeme exactly as sent, e.g. `-0`, `1.5e-3`, `9223372036854775808`.
    public let text: String

    /// Creates a number from a lexeme already checked against the RFC 8259 grammar.
    ///
    /// The lexeme is the only stored property: every other property derives from it on demand, so
    /// numbers with the same text are indistinguishable and unread numbers cost nothing more.
    init(validatedText text: String) {
        self.text = text
    }

    /// Creates a number from a lexeme, or returns `nil` if `text` is not exactly one RFC 8259 number
    /// (no surrounding whitespace, no `+`, no leading zeros, no NaN or Infinity).
    public init?(_ text: String) {
        guard case .number(let number)? = try? JSONParser.parse(Array(text.utf8), maxDepth: 0),
            number.text.utf8.count == text.utf8.count
        else { return nil }
        self = number
    }

    /// Whether the lexeme is an integer: no fraction and no exponent (`-0` is one; `1e2` and `1.0`
    /// are not). True even when the value does not fit in Int64.
    public var isInteger: Bool {
        !text.utf8.contains { $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "e") || $0 == UInt8(ascii: "E") }
    }

    /// The value as Int64 if the lexeme is an integer (`isInteger`) within Int64's range, else `nil`.
    /// `-0` is `0`.
    public var int64: Int64? {
        guard isInteger else { return nil }
        return withUTF8Bytes(of: text) { Self.parseInt64(lexeme: $0) }
    }

    /// The nearest Double (correctly rounded), or `nil` if the magnitude overflows to infinity
    /// (for example `1e400`), since JSON has no infinity. Values that underflow become `0` or `-0`.
    public var double: Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }

    public var description: String { text }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        // The lexeme is ASCII, so byte equality and String equality agree; bytes are just cheaper.
        utf8BytesEqual(lhs.text, rhs.text)
    }

    /// Parses a validated integer lexeme (`-?(0|[1-9][0-9]*)`), returning `nil` on overflow.
    private static func parseInt64(lexeme: UnsafeBufferPointer<UInt8>) -> Int64? {
        var index = 0
        let negative = lexeme.first == UInt8(ascii: "-")
        if negative { index = 1 }
        // Accumulate negatively so that Int64.min, whose magnitude exceeds Int64.max, fits.
        var accumulated: Int64 = 0
        while index < lexeme.count {
            let digit = Int64(lexeme[index] &- UInt8(ascii: "0"))
            let (shifted, overflowA) = accumulated.multipliedReportingOverflow(by: 10)
            let (next, overflowB) = shifted.subtractingReportingOverflow(digit)
            if overflowA || overflowB { return nil }
            accumulated = next
            index += 1
        }
        if negative { return accumulated }
        let (positive, overflow) = Int64(0).subtractingReportingOverflow(accumulated)
        return overflow ? nil : positive
    }
}
