import Formats
import Postgres

/// The CSV layout of the event export (auditor.md AUD-11): a header row, then one row per event,
/// each cell taken from the event representation's result cells (no intermediate values).
enum EventCSV {
    /// AUD-11, in this order.
    static let columnNames: [String] = [
        "identifier", "institution", "intellectual_object_identifier", "generic_file_identifier", "event_type",
        "date_time", "outcome", "outcome_detail", "outcome_information", "detail", "object", "agent", "created_at",
        "sequence", "entry_hash", "chain_hash",
    ]

    /// For each CSV column, its position and kind in `Representations.event`, looked up by field
    /// name so the two tables cannot drift apart.
    static let cells: [(index: Int, kind: CellKind)] = columnNames.map { name in
        guard let index = Representations.event.columns.firstIndex(where: { $0.field.description == name }) else {
            preconditionFailure("the event representation has no field \(name)")
        }
        return (index, Representations.event.columns[index].kind)
    }

    static let headerRow: [UInt8] = {
        var row: [UInt8] = []
        CSV.appendRow(columnNames, to: &row)
        return row
    }()

    /// One event as a CSV row ended by CRLF: text quoted only where RFC 4180 needs it, `null` as an
    /// empty field, timestamps in the API format, hashes as lower-case hex.
    static func appendRow(_ result: PGResult, row: Int, to output: inout [UInt8]) {
        for (position, cell) in cells.enumerated() {
            if position > 0 { CSV.appendSeparator(to: &output) }
            if result.isNull(row, cell.index) { continue }
            result.withUnsafeBytes(row, cell.index) { bytes in
                switch cell.kind {
                case .text:
                    CSV.appendField(bytes, to: &output)
                case .integer, .boolean, .json, .jsonArray:
                    // Digits (or t/f): never anything that needs quoting. (No event column is json.)
                    output.append(contentsOf: typed(bytes))
                case .timestamp:
                    Timestamp(postgresText: bytes)?.appendAPIFormat(to: &output)
                case .hex:
                    // bytea text output is `\x` + lower-case hex.
                    output.append(contentsOf: typed(bytes).dropFirst(2))
                }
            }
        }
        CSV.appendLineEnd(to: &output)
    }
}

/// The cell's bytes as a typed buffer, so `append(contentsOf:)` copies them in one block. libpq's
/// memory is bound to `CChar`; a signed and an unsigned integer of one width may alias.
private func typed(_ bytes: UnsafeRawBufferPointer) -> UnsafeBufferPointer<UInt8> {
    UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count)
}
