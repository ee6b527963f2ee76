import Formats
import HTTPServer
import Postgres
import RegistryCore

/// The two export formats of auditor.md AUD-11 and AUD-12: their headers, what precedes the first
/// row, and how one event row is written.
enum EventExportFormat: String, Sendable {
    case csv
    case ndjson

    /// AUD-10: `format` is required and must be one of the two.
    init(_ value: String?) throws(RegistryError) {
        guard let value, !value.isEmpty else { throw .badRequest("format is required: csv or ndjson") }
        guard let format = EventExportFormat(rawValue: value) else {
            throw .badRequest("invalid value for format: \(value) (csv or ndjson)")
        }
        self = format
    }

    /// `Content-Type`, and for CSV the `Content-Disposition` naming the file after the UTC time the
    /// export started (`events-20240501T130203Z.csv`).
    func headers(startedAt: Timestamp) -> HTTPHeaders {
        switch self {
        case .csv:
            HTTPHeaders([
                "Content-Type": "text/csv; charset=utf-8",
                "Content-Disposition": "attachment; filename=\"events-\(startedAt.compactString).csv\"",
                "Cache-Control": "no-store",
            ])
        case .ndjson:
            HTTPHeaders(["Content-Type": "application/x-ndjson", "Cache-Control": "no-store"])
        }
    }

    /// What the body holds before the first row: the CSV header row; nothing for NDJSON, so an
    /// export without rows has an empty body (AUD-12).
    var preamble: [UInt8] {
        switch self {
        case .csv: EventCSV.headerRow
        case .ndjson: []
        }
    }

    /// Appends one event row of a result selected with `Representations.event.selectList`.
    func appendRow(_ result: PGResult, row: Int, to writer: inout JSONWriter) {
        switch self {
        case .csv:
            EventCSV.appendRow(result, row: row, to: &writer.bytes)
        case .ndjson:
            // A top-level value: JSONWriter never puts a separator before it, so lines are exactly
            // the event representation (api-v2.md §8) followed by LF.
            Representations.event.writeObject(result, row: row, into: &writer)
            writer.bytes.append(0x0A)
        }
    }
}
