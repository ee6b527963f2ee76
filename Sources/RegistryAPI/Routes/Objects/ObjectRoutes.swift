import HTTPServer
import RegistryCore
import Routing

/// `/objects` (api-v2.md §10.2, routes #3–#6) and the [Compat] unescaped fallback of API-6.
enum ObjectRoutes {
    static var routes: [APIRoute] {
        [
            APIRoute("objects.list", [.get], "/objects", member: [.get], namesRecord: false, query: ObjectList.querySpec, handler: { try ObjectList.list(&$0, pathInstitution: nil) }),
            // One GET endpoint for `/objects/{inst}` (#3) and `/objects/{obj}` (#4): the router's
            // constraint admits only those kinds (and ids); the handler picks the row by the
            // decoded form (API-5).
            APIRoute("objects.show", [.get], "/objects/{obj}", member: [.get], namesRecord: true, query: showOrListSpec,
                     constraints: ["obj": PathKindConstraint.objectsRead], handler: showOrList),
            APIRoute("objects.create", [.post], "/objects/{inst}", namesRecord: true,
                     constraints: ["inst": PathKindConstraint.objectsCreate], handler: ObjectCreate.create),
            APIRoute("objects.update", [.put, .patch], "/objects/{obj}", namesRecord: true,
                     constraints: ["obj": PathKindConstraint.objectsWrite], handler: ObjectUpdate.update),
            // API-6: GET/HEAD of a path no other route matches, e.g. `/objects/test.edu/bag 1`
            // sent without escaping the `/`. The router tries wildcards only after every ordinary
            // route failed to match the path, so action routes always win.
            APIRoute("objects.show_unescaped", [.get], "/objects/{rest...}", member: [.get], namesRecord: true, query: showOrListSpec, handler: showOrListUnescaped),
        ]
    }

    /// Either kind of request may come to the shared GET endpoint; the handler then checks the query
    /// against the spec of the kind it turned out to be.
    static let showOrListSpec = QuerySpec(ObjectList.querySpec.names.union(ObjectShow.querySpec.names),
                                          repeatable: ObjectList.querySpec.repeatable)

    static func showOrList(_ call: inout APICall) throws -> HTTPResponse {
        try dispatch(&call, try PathIdentifier(call, "obj"))
    }

    static func showOrListUnescaped(_ call: inout APICall) throws -> HTTPResponse {
        guard let raw = call.parameters.raw("rest") else { throw RegistryError.notFound("no such route") }
        return try dispatch(&call, try PathIdentifier(remainder: raw))
    }

    /// API-5: an institution lists its objects, an object identifier or a numeric id shows one
    /// object; anything else (a file identifier, a UUID, a bare word) names no object: 404.
    private static func dispatch(_ call: inout APICall, _ identifier: PathIdentifier) throws -> HTTPResponse {
        switch identifier.kind {
        case .institution:
            let caller = call.caller
            let (institution, _) = try call.readForThisPrefix { connection in
                try identifier.lookup { try RecordLookups.institution(identifierOrID: $0, caller: caller, on: connection) }
            }
            guard let institution else {
                throw RegistryError.notFound("institution not found: \(identifier.literal)")
            }
            return try ObjectList.list(&call, pathInstitution: institution)
        case .object, .numericID:
            return try ObjectShow.show(&call, identifier)
        case .file, .uuid, .unknown:
            throw RegistryError.notFound(ObjectShow.notFoundMessage(identifier))
        }
    }
}
