import Formats
import HTTPServer
import RegistryCore
import Routing

/// `GET /audit/consistency?institution=&from_sequence=a[&to_sequence=b]` (AUD-54): the entry hashes
/// that extend a head recorded at `a` to the one at `b`. Folding `entry_hashes` from
/// `from_chain_hash` must give `to_chain_hash`.
enum AuditConsistency {
    static func respond(_ call: inout APICall) throws -> HTTPResponse {
        let subject = try AuditSubject.resolve(&call)
        let query = try call.query
        let fromText = query.first("from_sequence").flatMap { $0.isEmpty ? nil : $0 }
        guard let fromText else { throw RegistryError.badRequest("from_sequence is required") }
        guard let from = NumericID.parse(fromText) else {
            throw RegistryError.badRequest("from_sequence must be a non-negative integer")
        }
        var to: Int64?
        if let text = query.first("to_sequence"), !text.isEmpty {
            guard let value = NumericID.parse(text) else {
                throw RegistryError.badRequest("to_sequence must be a non-negative integer")
            }
            to = value
        }

        let (points, fromHash, toSequence, toHash) = try call.database.read { connection in
            let points = try ChainPoints.read(institutionID: subject.id, on: connection)
            let toSequence = to ?? points.headSequence
            guard toSequence <= points.headSequence else {
                throw RegistryError.badRequest("to_sequence must not exceed the head sequence \(points.headSequence)")
            }
            guard from <= toSequence else {
                throw RegistryError.badRequest("from_sequence must be between 0 and \(toSequence)")
            }
            return (points, try points.chainHash(at: from, on: connection), toSequence,
                    try points.chainHash(at: toSequence, on: connection))
        }

        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.field("institution", subject.identifier)
        writer.field("from_sequence", from)
        writer.field("from_chain_hash", fromHash)
        writer.field("to_sequence", toSequence)
        writer.field("to_chain_hash", toHash)
        writer.key("entry_hashes")
        // Left open: the stream writes the elements and closes the array and the object.
        writer.beginArray()
        return EntryHashStream.response(prefix: writer.bytes, call: call, institutionID: points.institutionID,
                                        after: from, through: toSequence)
    }
}
