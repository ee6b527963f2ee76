/// RFC 4180 output for the event export (auditor.md AUD-11): fields separated by `,`, rows ended
/// by CRLF, a field quoted only when it contains `,`, `"`, CR or LF, with `"` doubled inside.
/// Values are written unchanged otherwise (no formula neutralizing: exports are evidence).
public enum CSV {
    /// Appends one field (without a separator).
    public static func appendField(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        guard utf8.contains(where: needsQuoting) else {
            output.append(contentsOf: utf8)
            return
        }
        output.append(0x22)
        var runStart = 0
        for index in 0..<utf8.count where utf8[index] == 0x22 {
            // Copy through the quote, then write it a second time.
            output.appendRun(utf8, from: runStart, to: index + 1)
            output.append(0x22)
            runStart = index + 1
        }
        output.appendRun(utf8, from: runStart, to: utf8.count)
        output.append(0x22)
    }

    /// Appends one field from UTF-8 bytes, e.g. a text cell straight out of a libpq result.
    public static func appendField(_ utf8: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        appendField(utf8.asUInt8Buffer, to: &output)
    }

    /// Appends one field.
    public static func appendField(_ value: String, to output: inout [UInt8]) {
        withUTF8Bytes(of: value) { appendField($0, to: &output) }
    }

    /// Appends the `,` between two fields.
    public static func appendSeparator(to output: inout [UInt8]) {
        output.append(0x2C)
    }

    /// Appends the CRLF that ends a row.
    public static func appendLineEnd(to output: inout [UInt8]) {
        output.append(0x0D)
        output.append(0x0A)
    }

    /// Appends a whole row: the fields separated by `,`, `nil` as an empty field, then CRLF.
    public static func appendRow(_ fields: [String?], to output: inout [UInt8]) {
        for (index, field) in fields.enumerated() {
            if index > 0 { appendSeparator(to: &output) }
            if let field { appendField(field, to: &output) }
        }
        appendLineEnd(to: &output)
    }

    private static func needsQuoting(_ byte: UInt8) -> Bool {
        byte == 0x2C || byte == 0x22 || byte == 0x0D || byte == 0x0A
    }
}
