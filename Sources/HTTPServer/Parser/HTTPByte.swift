/// Byte classes of RFC 9110 §5.6 and RFC 9112 used by the head parser and the chunked decoder.
/// Plain comparisons rather than a lookup table: a global table costs a lazy-initialisation
/// check per access in Swift, and these switches compile to a few compares.
enum HTTPByte {
    static let cr: UInt8 = 0x0D
    static let lf: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let slash: UInt8 = 0x2F
    static let question: UInt8 = 0x3F

    /// tchar: "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    @inline(__always)
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2E, 0x5E, 0x5F, 0x60, 0x7C, 0x7E: true
        default: false
        }
    }

    /// VCHAR: visible US-ASCII, 0x21–0x7E.
    @inline(__always)
    static func isVisible(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    /// SP or HTAB (OWS).
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab
    }

    /// A byte allowed inside a field value: HTAB, SP, VCHAR, obs-text (0x80–0xFF).
    /// Excludes NUL, CR, LF, the other controls and DEL (server-lessons §1.3).
    @inline(__always)
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == tab || (byte >= 0x20 && byte != 0x7F)
    }

    /// The value of a hex digit, or nil.
    @inline(__always)
    static func hexValue(_ byte: UInt8) -> Int? {
        switch byte {
        case 0x30...0x39: Int(byte - 0x30)
        case 0x41...0x46: Int(byte - 0x41 + 10)
        case 0x61...0x66: Int(byte - 0x61 + 10)
        default: nil
        }
    }

    /// Whether `bytes` starts with `lowercasePrefix`, ignoring ASCII case in `bytes`.
    /// `lowercasePrefix` must be lower-case ASCII.
    static func hasPrefixIgnoringCase(_ bytes: UnsafeRawBufferPointer, _ lowercasePrefix: StaticString) -> Bool {
        let count = lowercasePrefix.utf8CodeUnitCount
        guard bytes.count >= count else { return false }
        let expected = lowercasePrefix.utf8Start
        for index in 0..<count where asciiLowercased(bytes[index]) != expected[index] {
            return false
        }
        return true
    }

    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
    }
}
