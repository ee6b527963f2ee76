import Formats
import Postgres

/// Builds rows in PostgreSQL's COPY text format (tab-separated, `\N` for NULL, one row per line)
/// into one byte buffer that is handed to libpq in chunks of about 1 MiB.
///
/// Performance: ~20 million rows go through here. Appending UTF-8 bytes to a reused array avoids
/// a String per field; chunks of 1 MiB keep the number of `PQputCopyData` calls small.
struct CopyRowBuffer {
    private(set) var bytes: [UInt8] = []
    private(set) var rows = 0
    private var fieldsInRow = 0
    private let send: ([UInt8]) throws -> Void

    static let chunkSize = 1 << 20

    init(send: @escaping ([UInt8]) throws -> Void) {
        self.send = send
        bytes.reserveCapacity(Self.chunkSize + 64 * 1024)
    }

    /// Runs `COPY table (columns) FROM STDIN` and lets `fill` write the rows; returns the row count.
    @discardableResult
    static func copy(_ table: String, _ columns: [String], on connection: PGConnection,
                     _ fill: (inout CopyRowBuffer) throws -> Void) throws -> Int {
        try connection.copyIn("COPY \(table) (\(columns.joined(separator: ", "))) FROM STDIN") { send in
            // The buffer holds `send` only while this closure runs.
            try withoutActuallyEscaping(send) { send in
                var buffer = CopyRowBuffer(send: send)
                try fill(&buffer)
                try buffer.flush()
            }
        }
    }

    private mutating func separate() {
        if fieldsInRow > 0 { bytes.append(0x09) }
        fieldsInRow += 1
    }

    /// Text, escaped for COPY: backslash, tab, newline and carriage return.
    mutating func text(_ value: String) {
        separate()
        for byte in value.utf8 {
            switch byte {
            case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            default: bytes.append(byte)
            }
        }
    }

    mutating func optionalText(_ value: String?) {
        if let value { text(value) } else { null() }
    }

    mutating func null() {
        separate()
        bytes.append(0x5C)
        bytes.append(UInt8(ascii: "N"))
    }

    mutating func int(_ value: Int64) {
        separate()
        bytes.append(contentsOf: String(value).utf8)
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(value ? UInt8(ascii: "t") : UInt8(ascii: "f"))
    }

    mutating func timestamp(_ value: Timestamp) {
        separate()
        value.appendPostgresLiteral(to: &bytes)
    }

    /// `bytea` in hex form; the backslash of `\x` is itself escaped for the COPY text format.
    mutating func bytea(_ value: [UInt8]) {
        separate()
        bytes.append(0x5C)
        bytes.append(0x5C)
        bytes.append(UInt8(ascii: "x"))
        value.withUnsafeBufferPointer { Hex.append($0, to: &bytes) }
    }

    /// Ends the row; sends the buffer once it holds a chunk.
    mutating func endRow() throws {
        bytes.append(0x0A)
        fieldsInRow = 0
        rows += 1
        if bytes.count >= Self.chunkSize { try flush() }
    }

    mutating func flush() throws {
        guard !bytes.isEmpty else { return }
        try send(bytes)
        bytes.removeAll(keepingCapacity: true)
    }
}
