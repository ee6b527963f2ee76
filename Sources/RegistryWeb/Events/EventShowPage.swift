import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /events/{uuid}` (html.md §4, auditor.md AUD-5): every field, `sequence`, both hashes and
/// the canonical text the entry hash is computed over, for anyone who may show the event's object.
enum EventShowPage {
    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let identifier = try WebPathIdentifier(call.parameters, "uuid")
        let caller = call.caller
        var columns: PGQuery = "SELECT "
        columns.append(CanonicalEvent.storedSelectList)
        columns.append("""
            , i.identifier, e.id, e.outcome_information, e.entry_hash, e.chain_hash, e.created_at, o.institution_id,
              o.access, e.intellectual_object_identifier, e.generic_file_identifier, e.intellectual_object_id,
              e.generic_file_id, e.institution_id
            FROM premis_events e JOIN institutions i ON i.id = e.institution_id
            JOIN intellectual_objects o ON o.id = e.intellectual_object_id
            """)
        let row = try call.read { connection -> PGResult? in
            guard UUIDText.isValid(identifier.literal) else { return nil }
            var query = columns
            query.append(" WHERE e.identifier = \(identifier.literal.lowercased())::uuid")
            let result = try connection.query(query)
            let offset = CanonicalEvent.storedColumnCount
            guard result.rowCount == 1, let institutionID = try result.int64(0, offset + 6),
                  caller.canShow(objectOf: institutionID, access: result.string(0, offset + 7) ?? "") else { return nil }
            return result
        }
        // AUD-5, DOM-96a: an event of an object the caller may not show is a 404 like a missing one.
        guard let row else { throw RegistryError.notFound("event not found: \(identifier.literal)") }
        try call.authorize()
        let offset = CanonicalEvent.storedColumnCount
        let institution = row.string(0, offset) ?? ""
        let canonical = CanonicalEvent(result: row, row: 0, offset: 0, institution: institution)
        var fields = FieldList()
        fields.number("Id", try row.int64(0, offset + 1))
        fields.text("Identifier", row.string(0, 6), mono: true)
        fields.text("Event type", row.string(0, 4))
        fields.time("Date and time", try row.timestamp(0, 2))
        fields.text("Outcome", row.string(0, 9).map { Display.isFailure($0) ? "Failed (\($0))" : $0 })
        fields.text("Outcome detail", row.string(0, 10))
        fields.text("Outcome information", row.string(0, offset + 2))
        fields.text("Detail", row.string(0, 3))
        fields.text("Object (program)", row.string(0, 8))
        fields.text("Agent", row.string(0, 0))
        let objectIdentifier = row.string(0, offset + 8)
        fields.link("Intellectual object", objectIdentifier, href: objectIdentifier.map(Links.object))
        fields.number("Intellectual object id", try row.int64(0, offset + 10))
        let fileIdentifier = row.string(0, offset + 9)
        fields.link("Generic file", fileIdentifier, href: fileIdentifier.map(Links.file))
        fields.number("Generic file id", try row.int64(0, offset + 11))
        fields.link("Institution", institution, href: Links.institution(institution, for: caller))
        fields.number("Institution id", try row.int64(0, offset + 12))
        fields.number("Sequence", try row.int64(0, 12))
        fields.text("Entry hash", try row.bytea(0, offset + 3).map { Hex.encode($0) }, mono: true)
        fields.text("Chain hash", try row.bytea(0, offset + 4).map { Hex.encode($0) }, mono: true)
        fields.time("Recorded", try row.timestamp(0, 1))
        // Events are immutable: `updated_at` is `created_at` (api-v2.md API-70).
        fields.time("Updated", try row.timestamp(0, 1))
        let context: [String: Any] = [
            "identifier": identifier.literal.lowercased(), "fields": fields.rows,
            "canonical": canonical.map { String(decoding: $0.serialized, as: UTF8.self) } ?? false,
        ]
        return call.render(Page("Event \(identifier.literal.lowercased())", template: "event", context))
    }
}

/// `/events` pages (html.md §4).
enum EventRoutes {
    static var routes: [WebRoute] {
        [
            WebRoute("events.list", [.get], "/events", handler: EventListPage.show),
            WebRoute("events.show", [.get], "/events/{uuid}", namesRecord: true, handler: EventShowPage.show),
        ]
    }
}
