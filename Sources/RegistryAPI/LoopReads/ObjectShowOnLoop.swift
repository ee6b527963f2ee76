import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /api/v2/objects/{obj}` (route #4) answered on the HTTP event loop, for the common case
/// only: valid credentials whose `last_used_at` needs no write, no query string, an object found
/// under its identifier (or id) as given, visible to the caller and a role the route allows.
/// Authentication and the object are read in ONE pipelined round trip on the loop's session
/// (`LoopDatabase`). Anything else — a 401 with its audit row, a 404 with the API-4 `+` retry,
/// a 403 with its `authz.denied` row, includes, a database failure — is handed back to the
/// ordinary path (`ObjectShow.show` on a worker), which answers it exactly as before: the two
/// produce the same response for the common case because both write the same representation
/// from the same statement.
enum ObjectShowOnLoop {
    static func start(_ routed: RoutedRequest, route: APIRoute, reads: LoopDatabase, loop: LoopServices,
                      complete: @escaping @Sendable (HTTPResponse?) -> Void) {
        let head = routed.http.head
        guard head.method == .get, (head.query ?? "").isEmpty,
              let identifier = try? PathIdentifier(routed.parameters, "obj"), namesObject(identifier),
              let authentication = LoopAuthentication.query(head)
        else { return complete(nil) }
        let roles = route.roles
        reads.send([authentication, ObjectRepresentation.query(identifierOrID: identifier.literal)], on: loop) { results in
            guard let results, results.count == 2,
                  let caller = LoopAuthentication.caller(results[0]),
                  results[1].rowCount == 1, ObjectRepresentation.visible(results[1], to: caller),
                  roles.contains(caller.role)
            else { return complete(nil) }
            var writer = JSONWriter(capacity: 2048)
            Representations.object.writeObject(results[1], row: 0, into: &writer)
            var response = APIResponse.json(200, writer.bytes)
            response.routeLabel = routed.template
            response.user = caller.email
            complete(response)
        }
    }

    /// API-5: `{obj}` names an object (an institution lists its objects instead).
    private static func namesObject(_ identifier: PathIdentifier) -> Bool {
        switch identifier.kind {
        case .object, .numericID: return true
        case .institution, .file, .uuid, .unknown: return false
        }
    }
}
