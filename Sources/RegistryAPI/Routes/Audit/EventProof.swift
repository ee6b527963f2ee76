import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /events/{uuid}/proof[?head_sequence=n]` (auditor.md AUD-52, AUD-53): everything needed to
/// check one event against a recorded head (H, n) — its canonical text, its entry hash, the chain
/// hashes around it, and the entry hashes k+1…n to fold. Shown to whoever may show the event's
/// object (AUD-5, DOM-94, DOM-95), another institution's `consortia` object included; any other
/// event is answered exactly like an unknown one (DOM-96a).
enum EventProof {
    static func respond(_ call: inout APICall) throws -> HTTPResponse {
        let identifier = try PathIdentifier(call, "uuid")
        let notFound = RegistryError.notFound("event not found: \(identifier.literal)")
        // Only a UUID can name an event (API-5); anything else is unknown, not malformed.
        guard identifier.kind == .uuid else { throw notFound }
        let caller = call.caller
        let offset = 9
        let found = try call.database.read { connection -> PGResult? in
            var query: PGQuery = """
                SELECT e.institution_id, i.identifier, o.institution_id, o.access, encode(e.entry_hash, 'hex'),
                       encode(e.chain_hash, 'hex'), encode(p.chain_hash, 'hex'), h.sequence, encode(h.chain_hash, 'hex'),
                """
            query.append(CanonicalEvent.storedSelectList)
            query.append("""
                 FROM premis_events e
                JOIN institutions i ON i.id = e.institution_id
                JOIN intellectual_objects o ON o.id = e.intellectual_object_id
                LEFT JOIN event_chain_heads h ON h.institution_id = e.institution_id
                LEFT JOIN premis_events p ON p.institution_id = e.institution_id AND p.sequence = e.sequence - 1
                WHERE e.identifier = \(identifier.literal)::uuid
                """)
            let result = try connection.query(query)
            guard result.rowCount == 1, let objectInstitution = try result.int64(0, 2),
                  caller.canShow(objectOf: objectInstitution, access: result.string(0, 3) ?? "")
            else { return nil }
            return result
        }
        guard let found else { throw notFound }
        try call.authorize()

        let institutionID = try found.int64(0, 0) ?? 0
        let institution = found.string(0, 1) ?? ""
        let headSequence = try found.int64(0, 7) ?? 0
        guard let canonical = CanonicalEvent(result: found, row: 0, offset: offset, institution: institution) else {
            throw ChainInconsistency(institutionID: institutionID, sequence: try found.int64(0, offset + 12) ?? 0)
        }
        let sequence = canonical.sequence
        let target = try headSequenceParameter(try call.query, eventSequence: sequence, headSequence: headSequence)
        let previousChainHash: String
        if sequence == 1 {
            previousChainHash = ChainPoints.zeroHash
        } else if let stored = found.string(0, 6) {
            previousChainHash = stored
        } else {
            throw ChainInconsistency(institutionID: institutionID, sequence: sequence - 1)
        }
        let headChainHash: String
        if target == headSequence {
            headChainHash = found.string(0, 8) ?? ChainPoints.zeroHash
        } else {
            let points = ChainPoints(institutionID: institutionID, headSequence: headSequence,
                                     headChainHash: found.string(0, 8) ?? ChainPoints.zeroHash, asOf: .now())
            headChainHash = try call.database.read { try points.chainHash(at: target, on: $0) }
        }

        var writer = JSONWriter(capacity: 2048)
        writer.beginObject()
        writer.field("institution", institution)
        writer.field("identifier", canonical.identifier)
        writer.field("sequence", sequence)
        writer.key("canonical")
        let text = canonical.serialized
        text.withUnsafeBytes { writer.string(utf8: $0) }
        writer.field("entry_hash", found.string(0, 4))
        writer.field("previous_chain_hash", previousChainHash)
        writer.field("chain_hash", found.string(0, 5))
        writer.field("head_sequence", target)
        writer.field("head_chain_hash", headChainHash)
        writer.key("following_entry_hashes")
        // Left open: the stream writes the elements and closes the array and the object.
        writer.beginArray()
        return EntryHashStream.response(prefix: writer.bytes, call: call, institutionID: institutionID,
                                        after: sequence, through: target)
    }

    /// `head_sequence` (default: the current head) must lie in event sequence … head (AUD-52).
    private static func headSequenceParameter(_ query: QueryParameters, eventSequence: Int64,
                                              headSequence: Int64) throws -> Int64 {
        guard let text = query.first("head_sequence"), !text.isEmpty else { return headSequence }
        guard let value = NumericID.parse(text), value >= eventSequence, value <= headSequence else {
            throw RegistryError.badRequest("head_sequence must be between \(eventSequence) and \(headSequence)")
        }
        return value
    }
}
