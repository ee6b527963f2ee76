import HTTPServer
import RegistryCore
import Routing

/// The API's export answers behind another authentication: the HTML view links "Export CSV",
/// "Export NDJSON" (`/events/export`, html.md §4, session-authenticated with the streaming rules of
/// AUD-10..16) and "Download PREMIS XML" (`/objects/{obj}/premis.xml`). The HTML view has already
/// authenticated the caller by session; everything after that — visibility, role, query checks,
/// streaming — is exactly the API route's code.
public enum SessionBridges {
    public static func eventExport(caller: Caller, request: RoutedRequest, services: APIServices) throws -> HTTPResponse {
        try run(ExportRoutes.routes[0], caller: caller, request: request, services: services)
    }

    /// `request` must name the object as the path parameter `obj`.
    public static func premis(caller: Caller, request: RoutedRequest, services: APIServices) throws -> HTTPResponse {
        try run(PremisRoutes.routes[0], caller: caller, request: request, services: services)
    }

    /// As `APIPipeline` runs a route: authorize up front unless the route names a record, and fail
    /// closed when a success skipped the check. These are OPS-67 replica reads (an HTML GET, an
    /// export, PREMIS), so the answer says `X-Read-Source: replica` when the replica gave it, and a
    /// miss there is confirmed on the primary first (the replica may only lag behind a new record).
    private static func run(_ route: APIRoute, caller: Caller, request: RoutedRequest, services: APIServices) throws -> HTTPResponse {
        try ReplicaAnswer.respond(services.database, readsGoToReplica: false) {
            try run(route, caller: caller, request: request, services: services, database: $0)
        }
    }

    private static func run(_ route: APIRoute, caller: Caller, request: RoutedRequest, services: APIServices,
                            database: Database) throws -> HTTPResponse {
        var call = APICall(request: request.http, parameters: request.parameters, route: route, caller: caller,
                           services: services, isMemberAPI: false, database: database)
        if !route.namesRecord { try call.authorize() }
        let response = try route.handler(&call)
        guard call.authorized || response.status >= 400 else {
            services.logger.error("bridged route answered without an authorization check", ["route": .string(route.name)])
            throw BridgeFailure()
        }
        return response
    }

    struct BridgeFailure: Error {}
}
