import HTTPServer
import RegistryCore
import Routing

/// `GET /objects/{obj}/premis` (api-v2.md route #11; auditor.md §3): the object's PREMIS 3.0 XML,
/// for whoever may show the object (domain.md §7.2: "PREMIS export — show rule").
enum PremisRoutes {
    static var routes: [APIRoute] {
        [
            // The literal `premis` makes this more specific than `/objects/{obj}` and its API-6
            // remainder fallback, so it wins (API-82); the identifier must be encoded (API-6).
            APIRoute("objects.premis", [.get], "/objects/{obj}/premis", member: [.get], namesRecord: true, handler: PremisExport.respond),
        ]
    }
}

enum PremisExport {
    /// DOM-96b: the object must be visible (else 404 exactly as for an unknown one), then the role;
    /// the route takes no query parameters.
    static func respond(_ call: inout APICall) throws -> HTTPResponse {
        let identifier = try PathIdentifier(call, "obj")
        let caller = call.caller
        // OPS-67: the PREMIS export may be served by the read replica (on both prefixes).
        let (object, fromReplica) = try call.database.replicaRead { connection -> ObjectRef? in
            switch identifier.kind {
            case .object, .numericID:
                try identifier.lookup { try RecordLookups.object(identifierOrID: $0, caller: caller, on: connection) }
            default:
                nil
            }
        }
        guard let object else { throw RegistryError.notFound("object not found: \(identifier.literal)") }
        try call.authorize()
        let headers = HTTPHeaders(["Content-Type": PremisStream.contentType, "Cache-Control": "no-store"])
        return PremisStream.response(objectID: object.id, pool: call.pool(fromReplica: fromReplica), headers: headers,
                                     maxSeconds: call.settings.exportMaxSeconds, failures: StreamFailureMapper(call: call))
    }
}
