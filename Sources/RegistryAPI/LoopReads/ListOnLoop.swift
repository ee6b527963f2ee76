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

    private typealias Run = @Sendable (RoutedRequest, APIRoute, APIServices, LoopDatabase, LoopServices,
                                       @escaping @Sendable (HTTPResponse?) -> Void) -> Void
    /// `start` for the route's `Context`: generic code behind one non-generic type, so every loop
    /// list is a `ListOnLoop` (APIPipeline picks one by route name).
    private let run: Run

    /// - Parameters:
    ///   - lookups: the statements the common case needs besides the authentication, decided from
    ///     the request alone (they must not depend on the caller), and what the route parsed to
    ///     decide them (`context`, handed to `plan` so nothing is parsed twice); nil: not the
    ///     common case.
    ///   - plan: the page for an authorized call, given the context and the lookups' results; nil
    ///     or a throw: hand it back.
    init<Context: Sendable>(
        lookups: @escaping @Sendable (RoutedRequest) -> (queries: [PGQuery], context: Context)?,
        plan: @escaping @Sendable (inout APICall, Context, [PGResult]) throws -> Page?
    ) {
        run = { routed, route, services, reads, loop, complete in
            Self.start(routed, route: route, services: services, reads: reads, loop: loop, lookups: lookups, plan: plan,
                       complete: complete)
        }
    }

    func start(_ routed: RoutedRequest, route: APIRoute, services: APIServices, reads: LoopDatabase,
               loop: LoopServices, complete: @escaping @Sendable (HTTPResponse?) -> Void) {
        run(routed, route, services, reads, loop, complete)
    }

    // Performance: the context travels in the captures of the `send` completion that exists anyway
    // (no extra allocation per request); the generic code is specialized per route.
    private static func start<Context: Sendable>(
        _ routed: RoutedRequest, route: APIRoute, services: APIServices, reads: LoopDatabase, loop: LoopServices,
        lookups: @Sendable (RoutedRequest) -> (queries: [PGQuery], context: Context)?,
        plan: @escaping @Sendable (inout APICall, Context, [PGResult]) throws -> Page?,
        complete: @escaping @Sendable (HTTPResponse?) -> Void
    ) {
        let head = routed.http.head
        guard head.method == .get,
              let authentication = LoopAuthentication.query(head),
              let (lookupQueries, context) = lookups(routed)
        else { return complete(nil) }
        reads.send([authentication] + lookupQueries, on: loop) { results in
            guard let results, results.count == 1 + lookupQueries.count,
                  let caller = LoopAuthentication.caller(results[0])
            else { return complete(nil) }
            var call = APICall(request: routed.http, parameters: routed.parameters, route: route, caller: caller,
                               services: services, isMemberAPI: false)
            guard let page = try? authorizedPage(&call, route: route, context: context, lookups: Array(results.dropFirst()),
                                                 plan: plan) else {
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
    private static func authorizedPage<Context>(
        _ call: inout APICall, route: APIRoute, context: Context, lookups: [PGResult],
        plan: (inout APICall, Context, [PGResult]) throws -> Page?
    ) throws -> Page? {
        if !route.namesRecord { try call.authorize() }
        return try plan(&call, context, lookups)
    }
}
