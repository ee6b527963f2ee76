/// The textual forms the registry writes: API (JSON, CSV, canonical hash text), PostgreSQL
/// parameters and the HTML view.
extension Timestamp {
    /// Appends `YYYY-MM-DDTHH:MM:SS.ffffffZ` (exactly six fraction digits): the wire format of every
    /// timestamp (README conventions) and of the canonical event text (auditor.md AUD-41).
    public func appendAPIFormat(to output: inout [UInt8]) {
        let civil = CivilDateTime(self)
        appendDate(civil, to: &output)
        output.append(0x54)  // "T"
        appendTime(civil, to: &output)
        output.append(0x2E)
        DecimalText.appendPadded(civil.microsecond, width: 6, to: &output)
        output.append(0x5A)  // "Z"
    }

    /// `YYYY-MM-DDTHH:MM:SS.ffffffZ`, as `appendAPIFormat(to:)` writes it.
    public var apiString: String {
        var output: [UInt8] = []
        output.reserveCapacity(27)
        appendAPIFormat(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends `YYYY-MM-DD HH:MM:SS.ffffff+00`, the text bound as a `timestamptz` parameter. Always
    /// six fraction digits, so PostgreSQL has nothing to round (DOM-2).
    public func appendPostgresLiteral(to output: inout [UInt8]) {
        let civil = CivilDateTime(self)
        appendDate(civil, to: &output)
        output.append(0x20)
        appendTime(civil, to: &output)
        output.append(0x2E)
        DecimalText.appendPadded(civil.microsecond, width: 6, to: &output)
        output.append(0x2B)  // "+"
        output.append(0x30)
        output.append(0x30)
    }

    /// `YYYY-MM-DD HH:MM:SS.ffffff+00`, as `appendPostgresLiteral(to:)` writes it.
    public var postgresLiteral: String {
        var output: [UInt8] = []
        output.reserveCapacity(29)
        appendPostgresLiteral(to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// `YYYY-MM-DD HH:MM:SS UTC`, the display form of the HTML view (html.md WEB-25); the fraction
    /// is dropped.
    public var htmlString: String {
        let civil = CivilDateTime(self)
        var output: [UInt8] = []
        output.reserveCapacity(23)
        appendDate(civil, to: &output)
        output.append(0x20)
        appendTime(civil, to: &output)
        output.appendStatic(" UTC")
        return String(decoding: output, as: UTF8.self)
    }

    /// `YYYYMMDDTHHMMSSZ`, the compact form used in export file names (auditor.md AUD-11).
    public var compactString: String {
        let civil = CivilDateTime(self)
        var output: [UInt8] = []
        output.reserveCapacity(16)
        DecimalText.appendPadded(civil.year, width: 4, to: &output)
        DecimalText.appendPadded(civil.month, width: 2, to: &output)
        DecimalText.appendPadded(civil.day, width: 2, to: &output)
        output.append(0x54)
        DecimalText.appendPadded(civil.hour, width: 2, to: &output)
        DecimalText.appendPadded(civil.minute, width: 2, to: &output)
        DecimalText.appendPadded(civil.second, width: 2, to: &output)
        output.append(0x5A)
        return String(decoding: output, as: UTF8.self)
    }

    private func appendDate(_ civil: CivilDateTime, to output: inout [UInt8]) {
        DecimalText.appendPadded(civil.year, width: 4, to: &output)
        output.append(0x2D)
        DecimalText.appendPadded(civil.month, width: 2, to: &output)
        output.append(0x2D)
        DecimalText.appendPadded(civil.day, width: 2, to: &output)
    }

    private func appendTime(_ civil: CivilDateTime, to output: inout [UInt8]) {
        DecimalText.appendPadded(civil.hour, width: 2, to: &output)
        output.append(0x3A)
        DecimalText.appendPadded(civil.minute, width: 2, to: &output)
        output.append(0x3A)
        DecimalText.appendPadded(civil.second, width: 2, to: &output)
    }
}
