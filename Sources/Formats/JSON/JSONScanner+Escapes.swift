extension JSONScanner {
    /// Decodes the escape whose backslash is at `start` into `scratch` and returns the offset after it.
    ///
    /// Accepts exactly `\" \\ \/ \b \f \n \r \t \uXXXX`. A `\u` high surrogate must be followed
    /// directly by a `\u` low surrogate (the pair becomes one scalar); any lone surrogate is an error,
    /// because it cannot be represented in UTF-8 and the stored text must be exactly what was sent.
    /// `\u0000` decodes to U+0000; rejecting NUL is each field's job (domain.md DOM-6).
    mutating func decodeEscape(at start: Int, quoteOffset: Int) throws(JSONParseError) -> Int {
        guard start + 1 < input.count else { throw unterminatedString(quoteOffset) }
        let simple: UInt8
        switch input[start + 1] {
        case UInt8(ascii: "\""): simple = 0x22
        case UInt8(ascii: "\\"): simple = 0x5C
        case UInt8(ascii: "/"): simple = 0x2F
        case UInt8(ascii: "b"): simple = 0x08
        case UInt8(ascii: "f"): simple = 0x0C
        case UInt8(ascii: "n"): simple = 0x0A
        case UInt8(ascii: "r"): simple = 0x0D
        case UInt8(ascii: "t"): simple = 0x09
        case UInt8(ascii: "u"): return try decodeUnicodeEscape(at: start, quoteOffset: quoteOffset)
        default: throw JSONParseError(offset: start, reason: "invalid escape")
        }
        scratch.append(simple)
        return start + 2
    }

    private mutating func decodeUnicodeEscape(at start: Int, quoteOffset: Int) throws(JSONParseError) -> Int {
        let first = try hexQuad(at: start + 2, escapeOffset: start, quoteOffset: quoteOffset)
        var scalarValue = UInt32(first)
        var next = start + 6
        switch first {
        case 0xDC00...0xDFFF:
            throw loneSurrogate(at: start)
        case 0xD800...0xDBFF:
            // Only `\u` may follow a high surrogate; running out of input first is an unterminated string.
            guard next < input.count else { throw unterminatedString(quoteOffset) }
            guard input[next] == UInt8(ascii: "\\") else { throw loneSurrogate(at: start) }
            guard next + 1 < input.count else { throw unterminatedString(quoteOffset) }
            guard input[next + 1] == UInt8(ascii: "u") else { throw loneSurrogate(at: start) }
            let second = try hexQuad(at: next + 2, escapeOffset: next, quoteOffset: quoteOffset)
            guard (0xDC00...0xDFFF).contains(second) else { throw loneSurrogate(at: start) }
            scalarValue = 0x10000 + ((UInt32(first) - 0xD800) << 10) + (UInt32(second) - 0xDC00)
            next += 6
        default:
            break
        }
        appendUTF8(scalarValue)
        return next
    }

    /// Reads four hex digits at `offset`; a missing digit is an invalid escape, the end of the input
    /// an unterminated string.
    private func hexQuad(at offset: Int, escapeOffset: Int, quoteOffset: Int) throws(JSONParseError) -> UInt16 {
        var value: UInt16 = 0
        for index in offset..<(offset + 4) {
            guard index < input.count else { throw unterminatedString(quoteOffset) }
            let byte = input[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(offset: escapeOffset, reason: "invalid \\u escape")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    /// Appends the UTF-8 encoding of a scalar value (never a surrogate; callers ensure that).
    private mutating func appendUTF8(_ value: UInt32) {
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(0xC0 | UInt8(value >> 6))
            scratch.append(0x80 | UInt8(value & 0x3F))
        case 0x800..<0x10000:
            scratch.append(0xE0 | UInt8(value >> 12))
            scratch.append(0x80 | UInt8((value >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(value & 0x3F))
        default:
            scratch.append(0xF0 | UInt8(value >> 18))
            scratch.append(0x80 | UInt8((value >> 12) & 0x3F))
            scratch.append(0x80 | UInt8((value >> 6) & 0x3F))
            scratch.append(0x80 | UInt8(value & 0x3F))
        }
    }

    private func loneSurrogate(at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, reason: "lone surrogate in \\u escape")
    }
}
