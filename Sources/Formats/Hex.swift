/// Hexadecimal text of bytes (hashes on the wire, API keys, tokens).
public enum Hex {
    /// Lower-case hex of `bytes`, two characters per byte.
    @inlinable
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        withContiguousBytes(of: bytes) { encode(buffer: $0) }
    }

    /// Lower-case hex of `bytes`.
    public static func encode(buffer bytes: UnsafeBufferPointer<UInt8>) -> String {
        // Writes straight into the String's storage: one allocation, no intermediate array.
        String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            var position = 0
            for byte in bytes {
                output[position] = lowerHexDigit(byte >> 4)
                output[position + 1] = lowerHexDigit(byte & 0x0F)
                position += 2
            }
            return position
        }
    }

    /// Appends the lower-case hex of `bytes` to `output`.
    public static func append(_ bytes: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        output.reserveCapacity(output.count + bytes.count * 2)
        for byte in bytes {
            output.append(lowerHexDigit(byte >> 4))
            output.append(lowerHexDigit(byte & 0x0F))
        }
    }

    /// Appends the lower-case hex of `bytes` to `output`.
    public static func append(_ bytes: [UInt8], to output: inout [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0, to: &output) }
    }

    /// The bytes of hex text: an even number of digits, upper or lower case; nil for anything else.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        text.utf8.withContiguousStorageIfAvailable { decode(utf8: $0) }
            ?? Array(text.utf8).withUnsafeBufferPointer { decode(utf8: $0) }
    }

    /// The bytes of hex text given as UTF-8; nil unless it is an even number of hex digits.
    public static func decode(utf8 text: UnsafeBufferPointer<UInt8>) -> [UInt8]? {
        guard text.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(text.count / 2)
        var index = 0
        while index < text.count {
            guard let high = hexValue(text[index]), let low = hexValue(text[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case 0x30...0x39: return digit - 0x30  // 0-9
        case 0x41...0x46: return digit - 0x37  // A-F
        case 0x61...0x66: return digit - 0x57  // a-f
        default: return nil
        }
    }
}
