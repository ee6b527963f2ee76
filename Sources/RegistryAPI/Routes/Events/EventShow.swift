import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `GET /events/{uuid}` (route #26): one event, shown to whoever may show its object (auditor.md
/// AUD-5, domain.md DOM-95) — another institution's `consortia` object's events included; any other
/// event is answered exactly like an unknown one (DOM-96a).
enum EventShow {
    static func respond(_ call: inout APICall, _ identifier: PathIdentifier) throws -> HTTPResponse {
        let caller = call.caller
        let columnCount = Representations.event.columns.count
        let found = try call.database.read { connection -> PGResult? in
            // A UUID has no `+`, so the API-4 retry never applies; uuid input ignores case (DOM-15).
            var query: PGQuery = "SELECT "
            query.append(Representations.event.selectList)
            query.append("""
                , o.access, o.institution_id
                FROM premis_events e
                JOIN institutions i ON i.id = e.institution_id
                JOIN intellectual_objects o ON o.id = e.intellectual_object_id
                WHERE e.identifier = \(identifier.literal)::uuid
                """)
            let result = try connection.query(query)
            guard result.rowCount == 1, let institutionID = try result.int64(0, columnCount + 1),
                  caller.canShow(objectOf: institutionID, access: result.string(0, columnCount) ?? "")
            else { return nil }
            return result
        }
        guard let found else { throw RegistryError.notFound("event not found: \(identifier.literal)") }
        try call.authorize()
        // The shared `{x}` route accepts the list's parameters; a show accepts none (API-45).
        try call.validateQuery(.none)
        var writer = JSONWriter(capacity: 1024)
        Representations.event.writeObject(found, row: 0, into: &writer)
        return APIResponse.json(200, writer.bytes)
    }

    /// The event with `id` and its representation (api-v2.md §8), for the create response
    /// (`EventCreation`).
    static let reader = EventCreation.Reader(
        query: { id in
            var query: PGQuery = "SELECT "
            query.append(Representations.event.selectList)
            query.append(" FROM premis_events e JOIN institutions i ON i.id = e.institution_id WHERE e.id = \(id)")
            return query
        },
        body: { result in
            guard result.rowCount == 1 else {
                // Unreachable: the id was just inserted or read, and events are never deleted.
                throw PGError(kind: .other, message: "a stored event vanished")
            }
            var writer = JSONWriter(capacity: 1024)
            Representations.event.writeObject(result, row: 0, into: &writer)
            return writer.bytes
        })
}
