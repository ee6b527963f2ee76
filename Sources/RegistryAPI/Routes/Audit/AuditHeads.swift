import CryptoSupport
import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `GET /audit/head` (AUD-50) and `GET /audit/heads` (AUD-51): the values auditors record outside
/// the system. Both read the primary (operations.md OPS-67): a head must never lag behind writes.
enum AuditHeads {
    /// `{"institution", "sequence", "chain_hash", "as_of"}`.
    static func head(_ call: inout APICall) throws -> HTTPResponse {
        let subject = try AuditSubject.resolve(&call)
        let points = try call.database.read { try ChainPoints.read(institutionID: subject.id, on: $0) }
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.field("institution", subject.identifier)
        writer.field("sequence", points.headSequence)
        writer.field("chain_hash", points.headChainHash)
        writer.field("as_of", points.asOf)
        writer.endObject()
        return APIResponse.json(200, writer.bytes)
    }

    /// `{"as_of", "heads": [{"institution", "sequence", "chain_hash"}…], "combined_hash"}`; heads in
    /// identifier byte order, read by one statement (one snapshot). `combined_hash` is SHA-256 over
    /// one line `<identifier> <sequence> <chain_hash>\n` per head.
    static func heads(_ call: inout APICall) throws -> HTTPResponse {
        // An institution without a head row (an invariant violation, reported by audit verify)
        // counts as an empty chain, so that it still appears in the recorded value.
        let result = try call.database.read { connection in
            try connection.query("""
                SELECT i.identifier, coalesce(h.sequence, 0),
                       coalesce(encode(h.chain_hash, 'hex'), repeat('0', 64)), now()
                FROM institutions i LEFT JOIN event_chain_heads h ON h.institution_id = i.id
                ORDER BY i.identifier COLLATE "C"
                """)
        }
        let hasher = SHA256Hasher()
        var writer = JSONWriter(capacity: 256 + result.rowCount * 128)
        writer.beginObject()
        writer.key("as_of")
        if result.rowCount > 0, let asOf = try result.timestamp(0, 3) {
            writer.timestamp(asOf)
        } else {
            writer.timestamp(.now())
        }
        writer.key("heads")
        writer.beginArray()
        var line: [UInt8] = []
        for row in 0..<result.rowCount {
            writer.beginObject()
            writer.key("institution")
            writer.textCell(result, row, 0)
            writer.key("sequence")
            writer.integerCell(result, row, 1)
            writer.key("chain_hash")
            writer.textCell(result, row, 2)
            writer.endObject()
            line.removeAll(keepingCapacity: true)
            for column in 0..<3 {
                if column > 0 { line.append(UInt8(ascii: " ")) }
                result.withUnsafeBytes(row, column) { line.append(contentsOf: $0) }
            }
            line.append(UInt8(ascii: "\n"))
            hasher.update(line)
        }
        writer.endArray()
        writer.field("combined_hash", Hex.encode(hasher.finalize()))
        writer.endObject()
        return APIResponse.json(200, writer.bytes)
    }
}
