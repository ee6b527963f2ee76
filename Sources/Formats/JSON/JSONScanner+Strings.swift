extension JSONScanner {
    /// Scans one string at the cursor (which is on its opening quote) and returns its decoded text.
    ///
    /// Fast path: a string without escapes is validated in place and becomes a `String` with a single
    /// copy of its byte range. Only a string containing `\` goes through the scratch buffer.
    mutating func scanString() throws(JSONParseError) -> String {
        let quoteOffset = position
        let contentStart = position + 1
        let stop = try scanStringRun(from: contentStart)
        guard stop < input.count else { throw unterminatedString(quoteOffset) }
        switch input[stop] {
        case UInt8(ascii: "\""):
            position = stop + 1
            return String(decoding: UnsafeBufferPointer(rebasing: input[contentStart..<stop]), as: UTF8.self)
        case UInt8(ascii: "\\"):
            return try scanEscapedString(quoteOffset: quoteOffset, contentStart: contentStart, firstEscape: stop)
        default:
            throw rawControlCharacter(at: stop)
        }
    }

    /// The slow path: decodes the string into `scratch`, starting with the clean run before the
    /// first escape.
    private mutating func scanEscapedString(
        quoteOffset: Int, contentStart: Int, firstEscape: Int
    ) throws(JSONParseError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.appendRun(input, from: contentStart, to: firstEscape)
        var index = firstEscape
        while true {
            guard index < input.count else { throw unterminatedString(quoteOffset) }
            switch input[index] {
            case UInt8(ascii: "\""):
                position = index + 1
                return String(decoding: scratch, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index = try decodeEscape(at: index, quoteOffset: quoteOffset)
            case 0x00..<0x20:
                throw rawControlCharacter(at: index)
            default:
                // Plain text (ASCII or valid UTF-8) up to the next quote, backslash or control byte.
                let stop = try scanStringRun(from: index)
                scratch.appendRun(input, from: index, to: stop)
                index = stop
            }
        }
    }

    /// Advances over string content that needs no decoding — printable ASCII and valid multi-byte
    /// UTF-8 — and returns the offset of the first `"`, `\`, control byte, or the end of the input.
    private func scanStringRun(from start: Int) throws(JSONParseError) -> Int {
        var index = start
        while true {
            index = skipPlainASCII(from: index)
            guard index < input.count, input[index] >= 0x80 else { return index }
            index = try endOfUTF8Sequence(startingAt: index)
        }
    }

    /// Returns the offset of the first byte at or after `start` that is `"`, `\`, below 0x20 or
    /// above 0x7F (or the end of the input).
    ///
    /// Performance: examines eight bytes per step with SWAR bit tricks (identifiers, URIs and hex
    /// digests are long runs of plain ASCII, and this loop dominates the parse of a large body);
    /// a word containing any interesting byte falls back to the byte loop, which then stops inside
    /// that word. Keep this; a plain byte loop is several times slower on long strings.
    @inline(__always)
    private func skipPlainASCII(from start: Int) -> Int {
        var index = start
        let end = input.count
        if let base = input.baseAddress {
            let raw = UnsafeRawPointer(base)
            while end - index >= 8 {
                let word = raw.loadUnaligned(fromByteOffset: index, as: UInt64.self)
                if Self.wordHasSpecialByte(word) { break }
                index += 8
            }
        }
        while index < end {
            let byte = input[index]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte >= 0x80 { return index }
            index += 1
        }
        return index
    }

    /// Whether any byte of `word` is below 0x20, equal to `"` (0x22) or `\` (0x5C), or above 0x7F.
    ///
    /// Uses the classic "has zero byte" / "has byte less than n" tests (Bit Twiddling Hacks): each
    /// may mark extra bytes, but only when some byte truly matches, so "any" is exact.
    @inline(__always)
    static func wordHasSpecialByte(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let belowSpace = (word &- ones &* 0x20) & ~word
        let quoteBytes = word ^ (ones &* 0x22)
        let hasQuote = (quoteBytes &- ones) & ~quoteBytes
        let backslashBytes = word ^ (ones &* 0x5C)
        let hasBackslash = (backslashBytes &- ones) & ~backslashBytes
        return (belowSpace | hasQuote | hasBackslash | word) & highBits != 0
    }

    func unterminatedString(_ quoteOffset: Int) -> JSONParseError {
        JSONParseError(offset: quoteOffset, reason: "unterminated string")
    }

    private func rawControlCharacter(at offset: Int) -> JSONParseError {
        JSONParseError(offset: offset, reason: "unescaped control character in string")
    }
}
