extension JSONScanner {
    /// Scans one number at the cursor (which is on `-` or a digit) and keeps its lexeme.
    ///
    /// Grammar (RFC 8259 §6): `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`. The value is not
    /// converted here; `JSONNumber` converts on demand, so unread numbers cost one small string.
    mutating func scanNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var index = position
        if input[index] == UInt8(ascii: "-") {
            index += 1
        }
        guard index < input.count, Self.isDigit(input[index]) else { throw expectedDigit(at: index) }
        if input[index] == UInt8(ascii: "0") {
            index += 1
            if index < input.count, Self.isDigit(input[index]) {
                throw JSONParseError(offset: index - 1, reason: "leading zero in number")
            }
        } else {
            index = skipDigits(from: index)
        }
        if index < input.count, input[index] == UInt8(ascii: ".") {
            index += 1
            guard index < input.count, Self.isDigit(input[index]) else { throw expectedDigit(at: index) }
            index = skipDigits(from: index)
        }
        if index < input.count, (input[index] | 0x20) == UInt8(ascii: "e") {
            index += 1
            if index < input.count, input[index] == UInt8(ascii: "+") || input[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < input.count, Self.isDigit(input[index]) else { throw expectedDigit(at: index) }
            index = skipDigits(from: index)
        }
        position = index
        let lexeme = UnsafeBufferPointer(rebasing: input[start..<index])
        return JSONNumber(validatedText: String(decoding: lexeme, as: UTF8.self))
    }

    @inline(__always)
    static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    private func skipDigits(from start: Int) -> Int {
        var index = start
        while index < input.count, Self.isDigit(input[index]) {
            index += 1
        }
        return index
    }

    private func expectedDigit(at offset: Int) -> JSONParseError {
        guard offset < input.count else { return unexpected(at: offset) }
        return JSONParseError(offset: offset, reason: "expected digit, found \(Self.describe(byte: input[offset]))")
    }
}
