import HTTPServer
import RegistryCore

/// `PUT` and `PATCH /objects/{obj}` (api-v2.md route #6, API-93). [Compat] both verbs behave as
/// PATCH: fields absent from the body stay unchanged.
enum ObjectUpdate {
    static func update(_ call: inout APICall) throws -> HTTPResponse {
        let identifier = try PathIdentifier(call, "obj")
        let caller = call.caller
        let object = try call.database.read { connection in
            try identifier.lookup { text -> ObjectRef? in
                switch IdentifierKind.of(text) {
                case .object, .numericID:
                    return try RecordLookups.object(identifierOrID: text, caller: caller, on: connection)
                default:
                    return nil
                }
            }
        }
        guard let object else { throw RegistryError.notFound(ObjectShow.notFoundMessage(identifier)) }
        try call.authorize()
        guard let record = try call.recordBody(wrapper: ObjectBody.wrapper) else {
            throw RegistryError.badRequest("request body is required")
        }
        let patch = try ObjectBody.patch(record, stored: object)
        let body = try ObjectStore.update(id: object.id, patch: patch, origin: call.origin, caller: caller,
                                          on: call.database) { connection, id in
            try ObjectRepresentation.bytes(id: id, on: connection)
        }
        return APIResponse.json(200, body)
    }
}
