/// JSON string escaping shared by every JSON producer: API responses (api-v2.md API-33) and the
/// canonical event serialization that is hashed into the audit chain (auditor.md AUD-42).
///
/// Escapes only `"` → `\"`, `\` → `\\`, U+0008 `\b`, U+0009 `\t`, U+000A `\n`, U+000C `\f`,
/// U+000D `\r`, and any other U+0000–U+001F as `\u00xx` with lower-case hex. Everything else —
/// `/`, U+007F and all non-ASCII UTF-8 — is copied literally. The input must be UTF-8; it is not
/// validated (bytes are copied as they are), and the surrounding quotes are not written.
///
/// Because the output is hashed (AUD-43), this function's byte output is part of the contract:
/// never change it to escape more (or fewer) characters.
public enum JSONEscaping {
    /// Appends the escaped form of `utf8` to `output`.
    public static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        // Performance: scan for the few bytes that need escaping and copy the clean runs between them
        // with one bulk append each; typical identifiers and texts are a single run.
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            if byte >= 0x20 && byte != 0x22 && byte != 0x5C {
                index += 1
                continue
            }
            output.appendRun(utf8, from: runStart, to: index)
            appendEscape(for: byte, to: &output)
            index += 1
            runStart = index
        }
        output.appendRun(utf8, from: runStart, to: count)
    }

    /// Appends the escaped form of `utf8` (for example a text cell straight out of a libpq result).
    public static func appendEscaped(_ utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        appendEscaped(utf8.asUInt8Buffer, to: &output)
    }

    /// Appends the escaped form of the UTF-8 of `string`.
    public static func appendEscaped(_ string: String, to output: inout [UInt8]) {
        withUTF8Bytes(of: string) { appendEscaped($0, to: &output) }
    }

    /// Appends the escaped form of any sequence of UTF-8 bytes.
    @inlinable
    public static func appendEscaped(_ utf8: some Sequence<UInt8>, to output: inout [UInt8]) {
        withContiguousBytes(of: utf8) { appendEscaped($0, to: &output) }
    }

    /// The escaped form of `string` (without surrounding quotes), for cold paths and tests.
    public static func escaped(_ string: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(string.utf8.count + 8)
        appendEscaped(string, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func appendEscape(for byte: UInt8, to output: inout [UInt8]) {
        // Single-byte appends: escapes are rare, and this avoids temporary arrays per escape.
        output.append(0x5C)  // backslash
        switch byte {
        case 0x22: output.append(0x22)  // \"
        case 0x5C: output.append(0x5C)  // \\
        case 0x08: output.append(0x62)  // \b
        case 0x09: output.append(0x74)  // \t
        case 0x0A: output.append(0x6E)  // \n
        case 0x0C: output.append(0x66)  // \f
        case 0x0D: output.append(0x72)  // \r
        default:
            // \u00xx with lower-case hex (AUD-42).
            output.append(0x75)
            output.append(0x30)
            output.append(0x30)
            output.append(lowerHexDigit(byte >> 4))
            output.append(lowerHexDigit(byte & 0x0F))
        }
    }
}
