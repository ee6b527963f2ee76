/// Percent-decoding for request paths and query strings (RFC 3986 §2.1; api-v2.md API-1, API-2, API-48).
///
/// Paths are decoded one segment at a time, after routing: `+` is an ordinary character there.
/// Query components use form decoding, where `+` means a space.
public enum PercentDecoding {
    /// Decodes one raw path segment (or a raw remainder of segments): `%XX` (hex in either case)
    /// becomes that byte, every other character stays as it is, `+` included.
    /// - Throws: a malformed escape, bytes that are not UTF-8, or a decoded U+0000 (API-2).
    public static func decode(_ raw: Substring) throws(PathDecodingError) -> String {
        do {
            return try decodeBytes(raw, plusIsSpace: false)
        } catch {
            throw PathDecodingError(error)
        }
    }

    /// Decodes one raw query name or value: first every `+` becomes a space, then `%XX` escapes
    /// are decoded, so `%2B` stays a literal `+` (API-48). Same UTF-8 and U+0000 rules as paths.
    public static func decodeFormComponent(_ raw: Substring) throws(PercentDecodingFailure) -> String {
        try decodeBytes(raw, plusIsSpace: true)
    }

    // One pass over the UTF-8 view: most identifiers carry no escape, and then the only work is
    // the scan and a NUL check, with no intermediate byte array.
    private static func decodeBytes(_ raw: Substring, plusIsSpace: Bool) throws(PercentDecodingFailure) -> String {
        let utf8 = raw.utf8
        let needsRewrite = utf8.contains { $0 == UInt8(ascii: "%") || (plusIsSpace && $0 == UInt8(ascii: "+")) }
        if !needsRewrite {
            if utf8.contains(0) { throw .containsNUL }
            return String(raw)
        }

        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%") {
                let high = utf8.index(after: index)
                guard high != utf8.endIndex else { throw .malformedEscape }
                let low = utf8.index(after: high)
                guard low != utf8.endIndex,
                      let highValue = hexValue(utf8[high]),
                      let lowValue = hexValue(utf8[low])
                else { throw .malformedEscape }
                bytes.append(highValue << 4 | lowValue)
                index = utf8.index(after: low)
            } else {
                bytes.append(plusIsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index = utf8.index(after: index)
            }
        }
        if bytes.contains(0) { throw .containsNUL }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .invalidUTF8 }
        return text
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
