/// XML 1.0 text and attribute escaping for the PREMIS export (auditor.md AUD-25).
///
/// - `&`, `<`, `>` become entities everywhere; `"` also in attribute values (which the exporter
///   always quotes with `"`).
/// - Characters XML 1.0 does not allow — U+0000–U+0008, U+000B, U+000C, U+000E–U+001F, U+FFFE,
///   U+FFFF — are written as the literal text `\uXXXX` with upper-case hex (U+001B → `\u001B`).
/// - CR is written as `&#13;` (and in attributes TAB and LF as `&#9;` / `&#10;`): a literal CR would
///   be turned into LF by every parser's end-of-line handling, and literal TAB/LF in an attribute
///   into spaces by attribute-value normalization, so the character reference is the only way the
///   exported value parses back unchanged.
///
/// Input is UTF-8 and is not validated.
public enum XMLEscaping {
    /// Appends `utf8` escaped for element content.
    public static func appendText(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        append(utf8, inAttribute: false, to: &output)
    }

    /// Appends `utf8` escaped for element content.
    public static func appendText(_ utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        append(utf8.asUInt8Buffer, inAttribute: false, to: &output)
    }

    /// Appends `text` escaped for element content.
    public static func appendText(_ text: String, to output: inout [UInt8]) {
        withUTF8Bytes(of: text) { append($0, inAttribute: false, to: &output) }
    }

    /// Appends `utf8` escaped for a `"`-quoted attribute value (quotes not written).
    public static func appendAttribute(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        append(utf8, inAttribute: true, to: &output)
    }

    /// Appends `utf8` escaped for a `"`-quoted attribute value (quotes not written).
    public static func appendAttribute(_ utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        append(utf8.asUInt8Buffer, inAttribute: true, to: &output)
    }

    /// Appends `text` escaped for a `"`-quoted attribute value (quotes not written).
    public static func appendAttribute(_ text: String, to output: inout [UInt8]) {
        withUTF8Bytes(of: text) { append($0, inAttribute: true, to: &output) }
    }

    /// `text` escaped for element content.
    public static func escapeText(_ text: String) -> String {
        var output: [UInt8] = []
        appendText(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `text` escaped for a `"`-quoted attribute value.
    public static func escapeAttribute(_ text: String) -> String {
        var output: [UInt8] = []
        appendAttribute(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func append(_ utf8: UnsafeBufferPointer<UInt8>, inAttribute: Bool, to output: inout [UInt8]) {
        // Performance: clean runs are copied with one append each; only the bytes below are inspected.
        var runStart = 0
        var index = 0
        let count = utf8.count
        while index < count {
            let byte = utf8[index]
            switch byte {
            case 0x26:
                output.appendRun(utf8, from: runStart, to: index)
                output.appendStatic("&amp;")
            case 0x3C:
                output.appendRun(utf8, from: runStart, to: index)
                output.appendStatic("&lt;")
            case 0x3E:
                output.appendRun(utf8, from: runStart, to: index)
                output.appendStatic("&gt;")
            case 0x22 where inAttribute:
                output.appendRun(utf8, from: runStart, to: index)
                output.appendStatic("&quot;")
            case 0x09 where inAttribute:
                output.appendRun(utf8, from: runStart, to: index)
                output.appendStatic("&#9;")
            case 0x0A where inAttribute:
                output.appendRun(utf8, from: runStart, to: index)
                output.appendStatic("&#10;")
            case 0x0D:
                output.appendRun(utf8, from: runStart, to: index)
                output.appendStatic("&#13;")
            case 0x09, 0x0A:
                index += 1
                continue  // allowed literally in element content
            case 0x00..<0x20:
                output.appendRun(utf8, from: runStart, to: index)
                appendUnicodeEscape(UInt16(byte), to: &output)
            case 0xEF where index + 2 < count && utf8[index + 1] == 0xBF && utf8[index + 2] >= 0xBE:
                // EF BF BE / EF BF BF are U+FFFE / U+FFFF.
                output.appendRun(utf8, from: runStart, to: index)
                appendUnicodeEscape(utf8[index + 2] == 0xBE ? 0xFFFE : 0xFFFF, to: &output)
                index += 3
                runStart = index
                continue
            default:
                index += 1
                continue
            }
            index += 1
            runStart = index
        }
        output.appendRun(utf8, from: runStart, to: count)
    }

    /// Appends the literal text `\uXXXX` with upper-case hex.
    private static func appendUnicodeEscape(_ scalar: UInt16, to output: inout [UInt8]) {
        output.append(0x5C)
        output.append(0x75)
        for shift: UInt16 in [12, 8, 4, 0] {
            output.append(upperHexDigit(UInt8(truncatingIfNeeded: (scalar >> shift) & 0x0F)))
        }
    }
}
