import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `GET /storage_records` (api-v2.md route #30; domain.md §4.7, DOM-94, DOM-95).
enum StorageRecordRoutes {
    static let filterNames: Set<String> = ["generic_file_identifier", "generic_file_id", "kind", "current"]

    static var routes: [APIRoute] {
        [
            APIRoute("storage_records.list", [.get], "/storage_records", member: [.get], namesRecord: false, query: QuerySpec(filterNames.union(ListParameters.names)), handler: list),
        ]
    }

    /// Ordered by `id` (as the nested list, API-71). Route #30 lists no sort values, so every
    /// `sort` is a 400 (API-46: only the listed values); an empty one is absent (API-45).
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        if let sort = parameters.sort { throw RegistryError.badRequest("invalid sort: \(sort)") }
        var filters = ListFilters(query)
        try filters.vocabulary("kind", column: "s.kind", allowed: Vocabulary.storageRecordKind)
        switch try filters.boolean("current") {
        case true?: filters.clause.add("s.superseded_at IS NULL")
        case false?: filters.clause.add("s.superseded_at IS NOT NULL")
        case nil: break
        }
        let caller = call.caller
        let page = try call.database.read { connection -> ListPage? in
            guard let from = try TenantScope.fromFileChildren(
                filters: &filters, caller: caller, fileColumn: "s.generic_file_id",
                base: " FROM storage_records s JOIN generic_files f ON f.id = s.generic_file_id", on: connection)
            else { return nil }
            // The source event only feeds the representation, so the count goes without it.
            var rowsFrom = from
            rowsFrom.append(" LEFT JOIN premis_events se ON se.id = s.source_event_id")
            let sql = ListSQL(select: Representations.storageRecord.selectList, from: rowsFrom, countFrom: from,
                              where: filters.clause, orderBy: " ORDER BY s.id", limit: parameters.perPage + 1,
                              offset: parameters.offset)
            return try ListPage(sql, parameters, on: connection)
        }
        return ListEnvelope.response(call, parameters, page, Representations.storageRecord)
    }
}
