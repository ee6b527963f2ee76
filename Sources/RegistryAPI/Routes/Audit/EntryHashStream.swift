import HTTPServer
import Postgres
import RegistryCore

/// A JSON object whose last member is an array of entry hashes read with a cursor (auditor.md
/// AUD-52, AUD-54): `prefix` (everything up to and including `"name":[`), the hashes of sequences
/// `after + 1 ... through` in order, then `]}`.
///
/// The array has no size limit: rows come from a server-side cursor in batches of 1,000 and each
/// batch is written (with back-pressure) before the next is fetched, so memory stays bounded
/// whatever the chain's length (AUD-13).
enum EntryHashStream {
    static let batchSize = 1000

    static func response(prefix: [UInt8], call: APICall, institutionID: Int64, after: Int64,
                         through: Int64) -> HTTPResponse {
        let database = call.database
        let failures = StreamFailureMapper(call: call)
        let headers = HTTPHeaders(["Content-Type": APIResponse.jsonContentType, "Cache-Control": "no-store"])
        guard through > after else {
            // Nothing to read: answer from memory without a database connection.
            return APIResponse.json(200, prefix + Array("]}".utf8))
        }
        return HTTPResponse(status: 200, headers: headers, body: .stream { body in
            var started = false
            do {
                try database.primary.withTransaction(.repeatableRead, readOnly: true) { connection in
                    // Set before the write: a write that fails (the client left) is a truncated
                    // stream, not an error response nobody can receive.
                    started = true
                    try body.write(prefix)
                    try writeHashes(institutionID: institutionID, after: after, through: through, on: connection,
                                    to: body)
                }
            } catch {
                // Nothing sent yet: the failure can still be an ordinary error response (503 for a
                // busy or absent database, OPS-56, OPS-65; 500 otherwise). After the first byte only
                // a truncated transfer is honest.
                if started {
                    failures.logFailureMidStream(error)
                    throw error
                }
                throw failures.failure(for: error)
            }
        })
    }

    private static func writeHashes(institutionID: Int64, after: Int64, through: Int64, on connection: PGConnection,
                                    to body: any ResponseBodyWriter) throws {
        let query: PGQuery = """
            SELECT entry_hash FROM premis_events
            WHERE institution_id = \(institutionID) AND sequence > \(after) AND sequence <= \(through)
            ORDER BY sequence
            """
        var first = true
        var chunk: [UInt8] = []
        // Each entry is `"<64 hex>",`: 67 bytes; reserved once, reused for every batch.
        chunk.reserveCapacity(batchSize * 67 + 2)
        try connection.stream(query, batchSize: batchSize) { batch in
            chunk.removeAll(keepingCapacity: true)
            for row in 0..<batch.rowCount {
                if !first { chunk.append(UInt8(ascii: ",")) }
                first = false
                chunk.append(UInt8(ascii: "\""))
                // bytea text output is `\x` + lower-case hex: copied without the prefix, no decoding.
                batch.withUnsafeBytes(row, 0) { chunk.append(contentsOf: $0.dropFirst(2)) }
                chunk.append(UInt8(ascii: "\""))
            }
            try body.write(chunk)
        }
        try body.write(Array("]}".utf8))
    }
}

