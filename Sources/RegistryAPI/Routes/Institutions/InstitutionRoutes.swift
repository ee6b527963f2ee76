import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `/institutions` (api-v2.md §10.1, routes #1 and #2).
enum InstitutionRoutes {
    static let filters = InstitutionListQuery.filterNames

    static var routes: [APIRoute] {
        [
            APIRoute("institutions.list", [.get], "/institutions", member: [.get], namesRecord: false, query: QuerySpec.list(filters), handler: list),
            APIRoute("institutions.show", [.get], "/institutions/{inst}", member: [.get], namesRecord: true, handler: show),
        ]
    }

    /// Non-admins receive only their own institution; [Compat] `per_page` defaults to 1000.
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query, defaultPerPage: 1000)
        let clause = try InstitutionListQuery.scope(query.filterValues, caller: call.caller, sort: parameters.sort)
        let sql = InstitutionListQuery.page(selectList: Representations.institution.selectList, from: " FROM institutions i",
                                            clause, limit: parameters.perPage + 1, offset: parameters.offset)
        let page = try call.database.read { try ListPage(sql, parameters, on: $0) }
        return ListEnvelope.response(call, parameters, page, Representations.institution)
    }

    /// By identifier or numeric id; another institution is a 404 for non-admins (DOM-96a).
    static func show(_ call: inout APICall) throws -> HTTPResponse {
        let identifier = try PathIdentifier(call, "inst")
        let caller = call.caller
        let found = try call.database.read { connection in
            try identifier.lookup { text -> PGResult? in
                var query: PGQuery = "SELECT "
                query.append(Representations.institution.selectList)
                if case .numericID(let id) = IdentifierKind.of(text) {
                    query.append(" FROM institutions i WHERE i.id = \(id)")
                } else {
                    query.append(" FROM institutions i WHERE i.identifier = \(text)")
                }
                let result = try connection.query(query)
                guard result.rowCount == 1 else { return nil }
                let institutionID = try result.int64(0, 0)
                guard caller.isAdmin || institutionID == caller.institutionID else { return nil }
                return result
            }
        }
        guard let found else {
            throw RegistryError.notFound("institution not found: \(identifier.literal)")
        }
        try call.authorize()
        var writer = JSONWriter(capacity: 1024)
        Representations.institution.writeObject(found, row: 0, into: &writer)
        return APIResponse.json(200, writer.bytes)
    }
}
