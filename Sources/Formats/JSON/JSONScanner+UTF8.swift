extension JSONScanner {
    /// Validates the multi-byte UTF-8 sequence whose lead byte (≥ 0x80) is at `start` and returns the
    /// offset after it, or fails with `invalid UTF-8` at `start`.
    ///
    /// Follows the Unicode well-formed table (Unicode 15, Table 3-7): rejects stray continuation
    /// bytes, overlong forms (C0, C1, E0 80–9F, F0 80–8F), UTF-16 surrogates encoded in UTF-8
    /// (ED A0–BF), values above U+10FFFF (F4 90+, F5–FF) and truncated sequences. Strings are
    /// compared by their bytes (domain.md DOM-5), so nothing may be repaired or replaced here.
    func endOfUTF8Sequence(startingAt start: Int) throws(JSONParseError) -> Int {
        let lead = input[start]
        let length: Int
        // Allowed range of the second byte; the remaining continuation bytes are always 80–BF.
        let secondLow: UInt8
        let secondHigh: UInt8
        switch lead {
        case 0xC2...0xDF: length = 2; secondLow = 0x80; secondHigh = 0xBF
        case 0xE0: length = 3; secondLow = 0xA0; secondHigh = 0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; secondLow = 0x80; secondHigh = 0xBF
        case 0xED: length = 3; secondLow = 0x80; secondHigh = 0x9F
        case 0xF0: length = 4; secondLow = 0x90; secondHigh = 0xBF
        case 0xF1...0xF3: length = 4; secondLow = 0x80; secondHigh = 0xBF
        case 0xF4: length = 4; secondLow = 0x80; secondHigh = 0x8F
        default: throw invalidUTF8(at: start)
        }
        guard input.count - start >= length else { throw invalidUTF8(at: start) }
        let second = input[start + 1]
        guard second >= secondLow && second <= secondHigh else { throw invalidUTF8(at: start) }
        var index = start + 2
        while index < start + length {
            guard input[index] & 0xC0 == 0x80 else { throw invalidUTF8(at: start) }
            index += 1
        }
        return index
    }

    private func invalidUTF8(at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, reason: "invalid UTF-8")
    }
}
