/// The cursor over the input bytes shared by the value, string and number scanners.
///
/// Performance: the parser works on an `UnsafeBufferPointer` (bounds checks vanish in optimized
/// builds) and keeps one scratch buffer for decoding strings with escapes, so a 64 MiB
/// `create_batch` body is parsed in one linear pass with roughly one allocation per container and
/// per string longer than the small-string limit.
struct JSONScanner {
    let input: UnsafeBufferPointer<UInt8>
    /// Offset of the next byte to read.
    var position: Int = 0
    /// Reused by `scanString` for strings that contain escapes (kept across strings on purpose).
    var scratch: [UInt8] = []

    init(input: UnsafeBufferPointer<UInt8>) {
        self.input = input
    }

    var isAtEnd: Bool { position >= input.count }

    /// Skips RFC 8259 whitespace: space, horizontal tab, line feed, carriage return — nothing else.
    @inline(__always)
    mutating func skipWhitespace() {
        while position < input.count {
            switch input[position] {
            case 0x20, 0x09, 0x0A, 0x0D:
                position += 1
            default:
                return
            }
        }
    }

    /// Consumes `literal` (`true`, `false`, `null`) at the cursor or fails with `invalid literal`.
    mutating func consumeLiteral(_ literal: StaticString) throws(JSONParseError) {
        let length = literal.utf8CodeUnitCount
        let matches = input.count - position >= length
            && literal.withUTF8Buffer { expected in
                var index = 0
                while index < length {
                    if input[position + index] != expected[index] { return false }
                    index += 1
                }
                return true
            }
        guard matches else { throw JSONParseError(offset: position, reason: "invalid literal") }
        position += length
    }

    /// The error for the byte at `offset` (or for the end of the input) appearing where it may not.
    func unexpected(at offset: Int) -> JSONParseError {
        guard offset < input.count else {
            return JSONParseError(offset: offset, reason: "unexpected end of input")
        }
        return JSONParseError(offset: offset, reason: "unexpected \(Self.describe(byte: input[offset]))")
    }

    /// `character 'x'` for printable ASCII, `byte 0xNN` for anything else (control bytes, non-ASCII).
    static func describe(byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F {
            return "character '\(Character(Unicode.Scalar(byte)))'"
        }
        let digits = [upperHexDigit(byte >> 4), upperHexDigit(byte & 0x0F)]
        return "byte 0x" + String(decoding: digits, as: UTF8.self)
    }
}
