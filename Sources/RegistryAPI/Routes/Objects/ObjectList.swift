import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /objects` and `GET /objects/{inst}` (api-v2.md API-90, route #3).
enum ObjectList {
    static let filters = ObjectListQuery.filterNames

    /// API-45a: these mean "any of" when repeated (`institution_identifier` counts as `institution`).
    static let querySpec = QuerySpec(filters.union(ListParameters.names), repeatable: ObjectListQuery.repeatable)

    /// `pathInstitution`: the visible institution named by `/objects/{inst}` (already resolved:
    /// an unknown or invisible one is a 404 before this runs, DOM-96b).
    static func list(_ call: inout APICall, pathInstitution: InstitutionRef?) throws -> HTTPResponse {
        if pathInstitution != nil {
            try call.authorize()
            try call.validateQuery(querySpec)
        }
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        let listQuery = try ObjectListQuery(query.filterValues, caller: call.caller, pathInstitution: pathInstitution,
                                            sort: parameters.sort)

        let page = try call.database.read { connection -> ListPage? in
            // nil: the institutions asked for are unknown or not the caller's, an empty list (API-49).
            guard let scope = try listQuery.scope(on: connection) else { return nil }
            let sql = listQuery.page(selectList: Representations.object.selectList, scope,
                                     limit: parameters.perPage + 1, offset: parameters.offset)
            return try ListPage(sql, parameters, on: connection)
        }
        return ListEnvelope.response(call, parameters, page, Representations.object)
    }
}
