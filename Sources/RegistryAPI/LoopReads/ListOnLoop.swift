import HTTPServer
import Postgres
import RegistryCore
import Routing

/// A list route answered on the HTTP event loop (see `LoopDatabase`), for its common case: the
/// authentication and the lookups that case needs travel in one pipelined round trip, the page
/// (rows and count in one statement, `ListSQL.rowsWithCount`) in a second. The page is built by
/// the route's own code (`plan`), so the SQL and the envelope are the worker path's. Anything else
/// — failed credentials, a stale `last_used_at`, a refused role or query, a lookup the case did
/// not foresee, an empty page past the first — is handed back to a worker, which answers it as
/// before (with its audit rows and error shapes).
struct ListOnLoop: Sendable {
    /// One page to read: what the worker path would read and how it writes the rows.
    struct Page {
        let sql: ListSQL
        let parameters: ListParameters
        let representation: Representation
    }

    /// The statements the common case needs besides the authentication, decided from the request
    /// alone (they must not depend on the caller); nil: not the common case.
    let lookups: @Sendable (RoutedRequest) -> [PGQuery]?
    /// The page for an authorized call, given the lookups' results; nil or a throw: hand it back.
    let plan: @Sendable (inout APICall, [PGResult]) throws -> Page?

    func start(_ routed: RoutedRequest, route: APIRoute, services: APIServices, reads: LoopDatabase,
               loop: LoopServices, complete: @escaping @Sendable (HTTPResponse?) -> Void) {
        let head = routed.http.head
        guard head.method == .get,
              let authentication = LoopAuthentication.query(head),
              let lookupQueries = lookups(routed)
        else { return complete(nil) }
        reads.send([authentication] + lookupQueries, on: loop) { results in
            guard let results, results.count == 1 + lookupQueries.count,
                  let caller = LoopAuthentication.caller(results[0])
            else { return complete(nil) }
            var call = APICall(request: routed.http, parameters: routed.parameters, route: route, caller: caller,
                               services: services, isMemberAPI: false)
            guard let page = try? authorizedPage(&call, route: route, lookups: Array(results.dropFirst())) else {
                return complete(nil)
            }
            let statement = page.parameters.wantsCount ? page.sql.rowsWithCount : page.sql.rows
            let authorizedCall = call
            reads.send([statement], on: loop) { results in
                guard let rows = results?.first else { return complete(nil) }
                var count: Int?
                if page.parameters.wantsCount {
                    guard let known = try? ListSQL.count(ofRowsWithCount: rows, offset: page.parameters.offset) else {
                        return complete(nil)
                    }
                    count = known
                }
                var response = ListEnvelope.response(authorizedCall, page.parameters, ListPage(rows: rows, count: count),
                                                     page.representation)
                response.routeLabel = routed.template
                response.user = caller.email
                complete(response)
            }
        }
    }

    /// The pipeline's order (APIPipeline.handle): a route that names no record is authorized
    /// before its handler runs.
    private func authorizedPage(_ call: inout APICall, route: APIRoute, lookups: [PGResult]) throws -> Page? {
        if !route.namesRecord { try call.authorize() }
        return try plan(&call, lookups)
    }
}
