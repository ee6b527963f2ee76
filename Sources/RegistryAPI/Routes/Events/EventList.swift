import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `GET /events`, `/events/{inst}`, `/events/{obj}`, `/events/{file}` (route #25, auditor.md §1).
///
/// Order of checks (DOM-96b): the path parent must be visible (404), then the role, then the query
/// (400). Visibility is SQL, never a filter on fetched rows: a list with an object or file parent
/// returns that parent's events iff the caller may show it (DOM-94); every other list is
/// tenant-scoped (DOM-93).
enum EventList {
    static func respond(_ call: inout APICall, path: PathIdentifier?) throws -> HTTPResponse {
        let caller = call.caller
        let (query, page) = try call.database.read { connection -> (EventListQuery, ListPage?) in
            let parent = try path.map { try resolvePath($0, caller: caller, on: connection) }
            try call.authorize()
            let query = try EventListQuery(try call.query, pathInstitution: parent?.isInstitution ?? false)
            guard let scope = try EventListScope(query, parent: parent, caller: caller, on: connection) else {
                // A filter names nothing the caller may see: an empty list (API-49, DOM-96a).
                return (query, nil)
            }
            return (query, try ListPage(pageSQL(query, scope), query.parameters, on: connection))
        }
        return ListEnvelope.response(call, query.parameters, page, Representations.event)
    }

    /// The path parent, visible to the caller, or a 404 naming it as decoded (API-50), with the
    /// API-4 `+` retry.
    private static func resolvePath(_ identifier: PathIdentifier, caller: Caller,
                                    on connection: PGConnection) throws -> EventListParent {
        switch identifier.kind {
        case .institution:
            let found = try identifier.lookup { try RecordLookups.institution(identifierOrID: $0, caller: caller, on: connection) }
            guard let found else { throw RegistryError.notFound("institution not found: \(identifier.literal)") }
            return .institution(found)
        case .object:
            let found = try identifier.lookup { try RecordLookups.object(identifierOrID: $0, caller: caller, on: connection) }
            guard let found else { throw RegistryError.notFound("object not found: \(identifier.literal)") }
            return .object(found)
        default:
            let found = try identifier.lookup { try RecordLookups.file(identifierOrID: $0, caller: caller, on: connection) }
            guard let found else {
                throw RegistryError.notFound("file not found: \(identifier.literal); check that the identifier was escaped")
            }
            return .file(found)
        }
    }

    /// Internal, not private: the query-plan test EXPLAINs exactly this SQL.
    static func pageSQL(_ query: EventListQuery, _ scope: EventListScope) -> ListSQL {
        EventListSQL.page(selectList: Representations.event.selectList, query, scope)
    }

    /// Every matching event as its representation, in order, without paging: the list adds LIMIT
    /// and OFFSET, the export (auditor.md AUD-10) reads it through a cursor.
    static func selectQuery(where clause: WhereClause, joinsObjects: Bool, orderBy: StaticString) -> PGQuery {
        EventListSQL.select(selectList: Representations.event.selectList, where: clause, joinsObjects: joinsObjects,
                            orderBy: orderBy)
    }
}
