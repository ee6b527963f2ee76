/// HTML escaping of all dynamic text in pages and attribute values (html.md WEB-18): `&` `<` `>`
/// `"` `'` become `&amp;` `&lt;` `&gt;` `&quot;` `&#39;`. Safe both in element content and in
/// quoted attribute values.
public enum HTMLEscaping {
    /// `text` escaped; returned unchanged (no copy) when nothing needs escaping.
    public static func escape(_ text: String) -> String {
        guard text.utf8.contains(where: needsEscaping) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 16)
        append(text, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends the escaped UTF-8 of `text`.
    public static func append(_ text: String, to output: inout [UInt8]) {
        withUTF8Bytes(of: text) { append($0, to: &output) }
    }

    /// Appends the escaped form of UTF-8 bytes.
    public static func append(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        for index in 0..<utf8.count {
            let entity: StaticString
            switch utf8[index] {
            case 0x26: entity = "&amp;"
            case 0x3C: entity = "&lt;"
            case 0x3E: entity = "&gt;"
            case 0x22: entity = "&quot;"
            case 0x27: entity = "&#39;"
            default: continue
            }
            output.appendRun(utf8, from: runStart, to: index)
            output.appendStatic(entity)
            runStart = index + 1
        }
        output.appendRun(utf8, from: runStart, to: utf8.count)
    }

    /// Appends `text` escaped to a `String` (for pages assembled as strings).
    public static func append(_ text: String, to output: inout String) {
        output += escape(text)
    }

    private static func needsEscaping(_ byte: UInt8) -> Bool {
        byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27
    }
}
