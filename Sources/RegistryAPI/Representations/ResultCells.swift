import Formats
import Postgres

/// Writing JSON values straight from the text cells of a libpq result.
///
/// This is the hot path of every list and show: the Rails predecessor spent its CPU turning rows
/// into objects and objects into JSON. Here a cell's bytes go from the PGresult buffer into the
/// response buffer with at most an escape pass — no String, no Codable, no intermediate model.
extension JSONWriter {
    /// A text cell as a JSON string, or `null`.
    public mutating func textCell(_ result: PGResult, _ row: Int, _ column: Int) {
        if result.isNull(row, column) { return null() }
        result.withUnsafeBytes(row, column) { string(utf8: $0) }
    }

    /// An integer cell: PostgreSQL's text form of an integer is already a valid JSON number.
    public mutating func integerCell(_ result: PGResult, _ row: Int, _ column: Int) {
        if result.isNull(row, column) { return null() }
        result.withUnsafeBytes(row, column) { raw($0) }
    }

    /// A boolean cell (`t`/`f`).
    public mutating func booleanCell(_ result: PGResult, _ row: Int, _ column: Int) {
        if result.isNull(row, column) { return null() }
        bool(result.withUnsafeBytes(row, column) { $0.first == UInt8(ascii: "t") })
    }

    /// A timestamptz cell in the API format `YYYY-MM-DDTHH:MM:SS.ffffffZ` (API-32).
    public mutating func timestampCell(_ result: PGResult, _ row: Int, _ column: Int) {
        if result.isNull(row, column) { return null() }
        if let timestamp = result.withUnsafeBytes(row, column, { Timestamp(postgresText: $0) }) {
            self.timestamp(timestamp)
        } else {
            null()
        }
    }

    /// A json/jsonb cell: PostgreSQL's text form is already valid JSON, so it is copied as is.
    public mutating func jsonCell(_ result: PGResult, _ row: Int, _ column: Int) {
        if result.isNull(row, column) { return null() }
        result.withUnsafeBytes(row, column) { raw($0) }
    }

    /// A JSON array cell (`array_to_json` of an array column): copied as is, `[]` for NULL (an
    /// empty list, never `null`).
    public mutating func jsonArrayCell(_ result: PGResult, _ row: Int, _ column: Int) {
        if result.isNull(row, column) { return raw("[]") }
        result.withUnsafeBytes(row, column) { raw($0) }
    }

    /// A bytea cell as lower-case hex (PostgreSQL's text output is `\x` + hex): chain hashes.
    public mutating func hexCell(_ result: PGResult, _ row: Int, _ column: Int) {
        if result.isNull(row, column) { return null() }
        result.withUnsafeBytes(row, column) { bytes in
            string(utf8: UnsafeRawBufferPointer(rebasing: bytes.dropFirst(2)))
        }
    }
}

/// How one column of a representation is written.
public enum CellKind: Sendable {
    case text, integer, boolean, timestamp, hex, json, jsonArray
}

/// A representation (api-v2.md §8) as an ordered list of (JSON field, SQL expression, kind). The
/// SQL select list and the JSON writer come from the same table, so their order cannot drift.
public struct Representation: Sendable {
    public struct Column: Sendable {
        public let field: StaticString
        public let sql: StaticString
        public let kind: CellKind
    }

    public let columns: [Column]

    public init(_ columns: [(StaticString, StaticString, CellKind)]) {
        self.columns = columns.map { Column(field: $0.0, sql: $0.1, kind: $0.2) }
    }

    /// `expr1, expr2, …` for a SELECT.
    public var selectList: PGQuery {
        var query: PGQuery = ""
        for (index, column) in columns.enumerated() {
            if index > 0 { query.appendUnescaped(", ") }
            query.appendUnescaped(column.sql)
        }
        return query
    }

    /// Writes the members of one row (without the braces), from column `offset` of the result on.
    public func writeMembers(_ result: PGResult, row: Int, offset: Int = 0, into writer: inout JSONWriter) {
        for (index, column) in columns.enumerated() {
            writer.key(column.field)
            let cell = offset + index
            switch column.kind {
            case .text: writer.textCell(result, row, cell)
            case .integer: writer.integerCell(result, row, cell)
            case .boolean: writer.booleanCell(result, row, cell)
            case .timestamp: writer.timestampCell(result, row, cell)
            case .hex: writer.hexCell(result, row, cell)
            case .json: writer.jsonCell(result, row, cell)
            case .jsonArray: writer.jsonArrayCell(result, row, cell)
            }
        }
    }

    /// Writes one row as a JSON object.
    public func writeObject(_ result: PGResult, row: Int, offset: Int = 0, into writer: inout JSONWriter) {
        writer.beginObject()
        writeMembers(result, row: row, offset: offset, into: &writer)
        writer.endObject()
    }
}
