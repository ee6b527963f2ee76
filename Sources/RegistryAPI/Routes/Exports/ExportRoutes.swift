import Formats
import HTTPServer
import RegistryCore
import Routing

/// `GET /events/export` (api-v2.md route #28; auditor.md AUD-10..16).
enum ExportRoutes {
    static var routes: [APIRoute] {
        [
            // The literal `export` wins over the events routes' `{x}` (API-82). No path record:
            // the pipeline authorizes (and checks the parameter names) before the handler runs.
            APIRoute("events.export", [.get], "/events/export", member: [.get], namesRecord: false, query: querySpec, handler: EventExport.respond),
        ]
    }

    /// The AUD-1 filters, `format` and `sort`. The paging parameters are accepted as names only so
    /// that they can be refused with a message that says why (AUD-10).
    static let querySpec = QuerySpec(EventListQuery.filters.union(["format", "sort"]).union(pagingNames),
                                     repeatable: EventListQuery.repeatable)
    static let pagingNames: Set<String> = ["page", "per_page", "count"]
}

/// The handler: checks the whole query before anything is streamed (so every 400 is a proper
/// response), resolves the filters' records with the list's visibility, then streams.
enum EventExport {
    static func respond(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        if let paging = query.items.first(where: { ExportRoutes.pagingNames.contains($0.name) }) {
            throw RegistryError.badRequest("\(paging.name) does not apply to exports: every matching event is exported")
        }
        let format = try EventExportFormat(query.first("format"))
        let eventQuery = try EventListQuery(query, pathInstitution: false, defaultSort: .sequence)
        let caller = call.caller
        // OPS-67: exports may be served by the read replica (on both prefixes).
        let (scope, fromReplica) = try call.database.replicaRead { connection in
            try EventListScope(eventQuery, parent: nil, caller: caller, on: connection)
        }
        let headers = format.headers(startedAt: .now())
        guard let scope else {
            // A filter names a record or institution the caller may not see, or none at all: an
            // export without rows, exactly as for an unknown one (AUD-10, DOM-96a). Streamed like
            // every export (AUD-13: chunked; OPS-60: gzip when accepted), so its headers do not
            // tell this case from a visible filter that matches nothing.
            let preamble = format.preamble
            return HTTPResponse(status: 200, headers: headers, body: .stream({ writer in
                if !preamble.isEmpty { try writer.write(preamble) }
            }))
        }
        let plan = EventExportStream.Plan(scope: scope, sort: eventQuery.sort, format: format,
                                          maxSeconds: call.settings.exportMaxSeconds)
        return EventExportStream.response(plan, pool: call.pool(fromReplica: fromReplica), headers: headers,
                                          failures: StreamFailureMapper(call: call))
    }
}
