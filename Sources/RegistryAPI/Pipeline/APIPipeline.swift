import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Turns the route table into router endpoints: authentication (API-10..13), the fail-closed
/// permission check, and the mapping of every failure to the API's error shape (API-50, API-51).
public struct APIPipeline: Sendable {
    public static let apiPrefix = "/api/v2"
    public static let memberPrefix = "/member-api/v2"

    let services: APIServices

    public init(services: APIServices) {
        self.services = services
    }

    /// Registers every route under `/api/v2`, and the member routes under `/member-api/v2`.
    public func register(_ routes: [APIRoute], into builder: inout RouterBuilder<Endpoint>) throws {
        for route in routes {
            if route.roles.isEmpty {
                // Fail closed: the route answers 403 to everyone until the table lists it.
                services.logger.error("route has no entry in the permission table; it is denied to every role",
                                      ["route": .string(route.name)])
            }
            try builder.add(route.methods, Self.apiPrefix + route.path, constraints: route.constraints,
                            handler: endpoint(for: route, member: false))
            if !route.memberMethods.isEmpty {
                try builder.add(route.memberMethods, Self.memberPrefix + route.path, constraints: route.constraints,
                                handler: endpoint(for: route, member: true))
            }
        }
    }

    private func endpoint(for route: APIRoute, member: Bool) -> Endpoint {
        let settings = services.settings
        let limit: Int = switch route.bodyLimit {
        case .standard: settings.maxBodyBytes
        case .batch: settings.maxBatchBodyBytes
        case .state: settings.maxStateBodyBytes
        }
        return Endpoint(
            bodyLimit: limit,
            preflight: { head, context in
                // `100 Continue` only for a caller who authenticates (server-lessons §1.5); a
                // database that cannot answer is its usual 503 (API-51), not a 401.
                do {
                    let caller = try authenticate(head, context: context, route: route, member: member,
                                                  database: services.database)
                    return caller == nil ? unauthorized() : nil
                } catch {
                    return errorResponse(error, requestID: context.requestID)
                }
            },
            onLoop: loopStart(for: route, member: member),
            handle: { routed in handle(routed, route: route, member: member) })
    }

    /// The routes whose common case is answered on the event loop (see `LoopDatabase`): the
    /// ingest workers' hottest reads — GET object, an object's events, the work-item queue poll.
    /// Only under `/api/v2`, which reads the primary; the member API may read a replica (OPS-67)
    /// and always takes the ordinary path.
    private func loopStart(for route: APIRoute, member: Bool) -> Endpoint.LoopStart? {
        guard !member, let reads = services.loopReads else { return nil }
        let services = services
        let counted: @Sendable (@escaping @Sendable (HTTPResponse?) -> Void) -> @Sendable (HTTPResponse?) -> Void = { complete in
            { response in
                services.metrics.loopRead(answered: response != nil)
                complete(response)
            }
        }
        switch route.name {
        case "objects.show":
            return { routed, loop, complete in
                ObjectShowOnLoop.start(routed, route: route, reads: reads, loop: loop, complete: counted(complete))
            }
        case "events.list", "items.list":
            let list = route.name == "events.list" ? LoopListRoutes.events : LoopListRoutes.items
            return { routed, loop, complete in
                list.start(routed, route: route, services: services, reads: reads, loop: loop, complete: counted(complete))
            }
        default:
            return nil
        }
    }

    private func handle(_ routed: RoutedRequest, route: APIRoute, member: Bool) -> HTTPResponse {
        // One pooled connection for authentication and the handler (see ConnectionLease); given
        // back before a streamed body runs, which takes its own.
        let (database, lease) = services.database.forOneRequest()
        defer { lease.end() }
        let caller: Caller
        do {
            guard let found = try authenticate(routed.http.head, context: routed.http.context, route: route,
                                               member: member, database: database) else {
                return label(unauthorized(), routed, route, user: nil)
            }
            caller = found
        } catch {
            return label(errorResponse(error, requestID: routed.http.requestID), routed, route, user: nil)
        }
        guard routed.http.method == .get || routed.http.method == .head, !route.getChangesData,
              database.replica != nil else {
            return label(run(routed, route: route, caller: caller, member: member, database: database), routed, route, user: caller.email)
        }
        // OPS-67: every read of a member-API GET may come from the replica (authentication above
        // always reads the primary: a revoked key must stop working at once); on either prefix,
        // exports, reports, PREMIS and the audit log read it on their own.
        let response = ReplicaAnswer.respond(database, readsGoToReplica: member && Self.readsReplica(route)) {
            run(routed, route: route, caller: caller, member: member, database: $0)
        }
        return label(response, routed, route, user: caller.email)
    }

    /// The permission check and the route's handler, every failure mapped to the API's error shape.
    private func run(_ routed: RoutedRequest, route: APIRoute, caller: Caller, member: Bool,
                     database: Database) -> HTTPResponse {
        var call = APICall(request: routed.http, parameters: routed.parameters, route: route, caller: caller,
                           services: services, isMemberAPI: member, database: database)
        do {
            var response: HTTPResponse
            do {
                if !route.namesRecord { try call.authorize() }
                response = try route.handler(&call)
            } catch RegistryError.forbidden {
                recordDenial(call)
                throw RegistryError.forbidden
            }
            if !call.authorized && response.status < 400 {
                services.logger.error("route answered without an authorization check", ["route": .string(route.name)])
                response = APIResponse.error(500, "internal error (request \(routed.http.requestID))")
            }
            return response
        } catch {
            return errorResponse(error, requestID: routed.http.requestID)
        }
    }

    /// OPS-67: member-API GETs read the replica, except the audit chain's head, proof and
    /// consistency (an auditor compares them with heads recorded elsewhere: they must be current).
    private static func readsReplica(_ route: APIRoute) -> Bool {
        !["audit.head", "audit.consistency", "events.proof"].contains(route.name)
    }

    private func label(_ response: HTTPResponse, _ routed: RoutedRequest, _ route: APIRoute, user: String?) -> HTTPResponse {
        var response = response
        if route.getIsDeprecated, routed.http.method == .get || routed.http.method == .head, response.status != 401 {
            // API-81: every answer of such a GET says so, whatever its status (a 400, a 409…) — but
            // a 401, which must be the same for every cause and route (API-12).
            response.headers.set("Deprecation", "true")
        }
        response.routeLabel = RouteLabel.of(routed)
        response.user = user
        return response
    }

    /// The caller, or nil for any failure; failures are counted and audited (rate-limited, DOM-83).
    /// The rate-limit key is one row a minute per claimed e-mail, address and route — a row of the
    /// §9 table, so `GET /items` and `POST /items`, or `PUT` and `DELETE` of one object, are two
    /// routes (as for `authz.denied`), and each prefix counts apart; the row itself records the
    /// request's method and path (§4.12).
    private func authenticate(_ head: RequestHead, context: RequestContext, route: APIRoute, member: Bool,
                              database: Database) throws -> Caller? {
        let email = head.headers["X-Pharos-API-User"] ?? ""
        let key = head.headers["X-Pharos-API-Key"] ?? ""
        if !email.isEmpty, !key.isEmpty,
           let caller = try database.read({ try APIKeyAuthenticator.authenticate(email: email, key: key, on: $0) }) {
            return caller
        }
        services.metrics.authenticationFailed()
        let claimed = EmailAddress.normalized(email)
        let entry = AuditEntry(origin: AuditOrigin(requestID: context.requestID, remoteAddress: context.remoteAddress,
                                                   httpMethod: head.method.description, path: String(head.path)),
                               caller: nil, action: "api_auth.failure", status: 401,
                               details: claimed.isEmpty ? nil : AuditDetails.object(["claimed_email": claimed]))
        try? database.transaction { connection in
            try AuditLog.appendRateLimited(entry, key: "api_auth.failure|\(claimed)|\(context.remoteAddress)|\(member ? "member" : "api"):\(route.name)",
                                           on: connection)
        }
        return nil
    }

    private func unauthorized() -> HTTPResponse {
        APIResponse.error(401, "invalid API credentials")
    }

    /// DOM-83: a 403 is recorded as `authz.denied`, at most once a minute per caller, address and route.
    private func recordDenial(_ call: APICall) {
        let entry = call.audit("authz.denied", resourceType: nil, resourceID: nil, resourceIdentifier: nil,
                               institutionID: call.caller.institutionID, status: 403)
        AuditLog.appendDenial(entry, caller: call.caller, remoteAddress: call.request.remoteAddress, routeName: call.route.name,
                              database: call.database)
    }

    /// api-v2.md §6: every failure in the API's shape; details of unexpected ones only in the log.
    func errorResponse(_ error: any Error, requestID: String) -> HTTPResponse {
        switch error {
        case let error as RegistryError:
            switch error {
            case .unauthenticated: return unauthorized()
            case .notFound(let message): return APIResponse.error(404, message)
            case .forbidden: return APIResponse.error(403, RegistryError.forbiddenMessage)
            case .badRequest(let message): return APIResponse.error(400, message)
            case .unsupportedMediaType(let message): return APIResponse.error(415, message)
            case .validation(let errors):
                return APIResponse.error(422, "validation failed", fieldErrors: errors.entries)
            case .conflict(let message): return APIResponse.error(409, message)
            }
        case let error as PGError where error.isTransient:
            // OPS-56, OPS-57, OPS-65.
            let outage = DatabaseOutage(error)
            return APIResponse.error(503, outage.apiMessage, headers: HTTPHeaders(["Retry-After": outage.retryAfter]))
        default:
            services.logger.error("unexpected error", ["request_id": .string(requestID),
                                                       "error": .string(String(reflecting: error))])
            return APIResponse.error(500, "internal error (request \(requestID))")
        }
    }
}
