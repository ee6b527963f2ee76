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

        let (page, fromReplica) = try call.readForThisPrefix { connection -> ListPage? in
            guard let scope = try listQuery.scope(on: connection) else { return nil }
            let rows = listQuery.rows(selectList: Representations.object.selectList, scope,
                                      limit: parameters.perPage + 1, offset: parameters.offset)
            return ListPage(rows: try connection.query(rows),
                            count: parameters.wantsCount ? try connection.query(listQuery.count(scope)).int(0, 0) : nil)
        }

        let headers = APICall.readSourceHeaders(fromReplica: fromReplica)
        guard let page else {
            // The institutions asked for are unknown or not the caller's: an empty list (API-49).
            var envelope = ListEnvelope(call: call, parameters: parameters, count: parameters.wantsCount ? 0 : nil,
                                        hasMore: false)
            return envelope.finish().adding(headers)
        }
        var envelope = ListEnvelope(call: call, parameters: parameters, count: page.count,
                                    hasMore: page.rows.rowCount > parameters.perPage)
        for row in 0..<min(page.rows.rowCount, parameters.perPage) {
            Representations.object.writeObject(page.rows, row: row, into: &envelope.writer)
        }
        return envelope.finish().adding(headers)
    }

    private struct ListPage {
        let rows: PGResult
        let count: Int?
    }
}
