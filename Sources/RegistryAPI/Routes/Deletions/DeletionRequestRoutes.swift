import Formats
import HTTPServer
import RegistryCore

/// Creating and cancelling deletion requests: #8 and #18 (DOM-120, API-115), #42 (DOM-130), #41
/// (DOM-127). Each checks in the order of DOM-96b: the record named in the path (404), the caller
/// (403), the request itself (400/415/422), then state (409).
enum DeletionRequestRoutes {
    /// `DELETE /objects/{obj}/delete` and `DELETE /objects/{obj}`.
    static func requestObject(_ call: inout APICall) throws -> HTTPResponse {
        let object = try FileRoutes.findObject(try PathIdentifier(call, "obj"), call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: object.institutionID))
        try call.checkedOptionalBody()
        let id = try DeletionRequestStore.request(.object(object), context: call.workflowContext, database: call.database)
        return WorkflowResponses.noContent(location: location(id))
    }

    /// `DELETE /files/{file}`.
    static func requestFile(_ call: inout APICall) throws -> HTTPResponse {
        let file = try FileRoutes.findFile(try PathIdentifier(call, "file"), call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: file.object.institutionID))
        try call.checkedOptionalBody()
        let id = try DeletionRequestStore.request(.file(file), context: call.workflowContext, database: call.database)
        return WorkflowResponses.noContent(location: location(id))
    }

    /// `POST /deletions/{id}/cancel`: 200 with the cancelled request (show representation).
    static func cancel(_ call: inout APICall) throws -> HTTPResponse {
        let request = try DeletionRoutes.visibleRequest(call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: request.institutionID))
        try call.checkedOptionalBody()
        try DeletionCancelStore.cancel(request.id, context: call.workflowContext, database: call.database)
        return try DeletionListRoutes.showResponse(id: request.id, call: call)
    }

    /// `POST /{inst}/trigger_bulk_delete` with `{"ident_list": [...]}`: 204 + `Location`.
    static func triggerBulk(_ call: inout APICall) throws -> HTTPResponse {
        let institution = try DeletionRoutes.pathInstitution(call)
        try call.authorize()
        guard let record = try call.recordBody(wrapper: nil) else {
            throw RegistryError.badRequest("request body is required")
        }
        let identifiers = try identList(record)
        let id = try BulkDeletionStore.trigger(institution: institution, identifiers: identifiers,
                                               context: call.workflowContext, database: call.database)
        return WorkflowResponses.noContent(location: location(id))
    }

    /// `ident_list`: a non-empty array of strings (422 on `ident_list` / `ident_list[n]` otherwise).
    static func identList(_ record: JSONObject) throws(RegistryError) -> [String] {
        var errors = FieldErrors()
        var identifiers: [String] = []
        switch record["ident_list"] {
        case nil, .null?:
            errors.add("ident_list", "can't be blank")
        case .array(let elements)?:
            if elements.isEmpty { errors.add("ident_list", "can't be blank") }
            for (index, element) in elements.enumerated() {
                if case .string(let text) = element {
                    // DOM-6: no field may contain U+0000 (PostgreSQL text cannot hold it either).
                    if text.utf8.contains(0) { errors.add("ident_list[\(index)]", "is invalid") }
                    identifiers.append(text)
                } else {
                    errors.add("ident_list[\(index)]", "must be a string")
                }
            }
        default:
            errors.add("ident_list", "must be an array")
        }
        try errors.throwIfAny()
        return identifiers
    }

    static func location(_ id: Int64) -> String {
        "\(APIPipeline.apiPrefix)/deletions/\(id)"
    }
}
