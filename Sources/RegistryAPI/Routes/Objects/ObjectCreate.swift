import HTTPServer
import RegistryCore

/// `POST /objects/{inst}` (api-v2.md route #5, API-92; replay API-60..65).
enum ObjectCreate {
    static func create(_ call: inout APICall) throws -> HTTPResponse {
        let identifier = try PathIdentifier(call, "inst")
        let caller = call.caller
        // DOM-96b: the institution in the path must exist and be visible (404) before the role
        // check (403), which comes before the body (400/415/422).
        let institution = try call.database.read { connection in
            try identifier.lookup { text -> InstitutionRef? in
                switch IdentifierKind.of(text) {
                case .institution, .numericID:
                    return try RecordLookups.institution(identifierOrID: text, caller: caller, on: connection)
                default:
                    return nil
                }
            }
        }
        guard let institution else {
            throw RegistryError.notFound("institution not found: \(identifier.literal)")
        }
        try call.authorize()
        guard let record = try call.recordBody(wrapper: ObjectBody.wrapper) else {
            throw RegistryError.badRequest("request body is required")
        }
        let object = try ObjectBody.newObject(record, institution: institution)
        let result = try ObjectStore.create(object, origin: call.origin, caller: caller, on: call.database) { connection, id in
            try ObjectRepresentation.bytes(id: id, on: connection)
        }
        var headers = HTTPHeaders()
        if result.outcome == .replayed {
            call.services.metrics.idempotentReplay(resource: "object")
            headers.add("Idempotent-Replayed", "true")
        }
        return APIResponse.json(201, result.rendered, headers: headers)
    }
}
