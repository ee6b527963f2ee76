import Formats
import HTTPServer
import RegistryCore

/// Confirmations and approvals: #9 and #19 ([Compat] confirm by the covered object or file, API-116),
/// #40 (by request id, DOM-121 / DOM-131 / DOM-132 by the request's status) and #43/#44 ([Compat]
/// bulk approvals naming the request by `bulk_delete_job_id`). Order of checks (DOM-96b): the record
/// named (404) → the caller (403, including the requester rules) → the request (400/415/422) →
/// status and token (409).
enum DeletionConfirmRoutes {
    static let alreadyConfirmed = "This deletion request has already been confirmed."

    /// `DELETE /objects/{obj}/confirm_delete?confirmation_token=`.
    static func confirmObject(_ call: inout APICall) throws -> HTTPResponse {
        let object = try FileRoutes.findObject(try PathIdentifier(call, "obj"), call)
        let request = try call.database.read {
            try DeletionRequestRecord.covering(objectID: object.id, fileID: nil, kind: "object", on: $0)
        }
        return try confirmCovering(&call, request, identifier: object.identifier)
    }

    /// `DELETE /files/confirm_delete/{file}?confirmation_token=`.
    static func confirmFile(_ call: inout APICall) throws -> HTTPResponse {
        let file = try FileRoutes.findFile(try PathIdentifier(call, "file"), call)
        let request = try call.database.read {
            try DeletionRequestRecord.covering(objectID: nil, fileID: file.id, kind: "file", on: $0)
        }
        return try confirmCovering(&call, request, identifier: file.identifier)
    }

    /// The request covering the path record is itself a record the caller must be able to see: a
    /// missing one and another institution's (a consortia object's) are the same 404 (DOM-96a).
    /// `requesting_user_id` is accepted and ignored ([Fix]: the requester comes from the request).
    private static func confirmCovering(_ call: inout APICall, _ request: DeletionRequestRecord?,
                                        identifier: String) throws -> HTTPResponse {
        let caller = call.caller
        guard let request, caller.isAdmin || request.institutionID == caller.institutionID else {
            throw RegistryError.notFound("deletion request not found for \(identifier)")
        }
        // DOM-121: whoever may not confirm gets 403 whatever the token or the status.
        try call.authorize(try DeletionApprovalStore.mayApprove(request, step: .confirmSingle, caller: caller,
                                                                database: call.database))
        let token = ListFilters(try call.query).value("confirmation_token")
        try call.checkedOptionalBody()
        let outcome = try DeletionApprovalStore.approve(request.id, step: .confirmSingle, token: token, confirmedIsDone: true,
                                                        context: call.workflowContext, database: call.database)
        return outcome == .alreadyConfirmed ? WorkflowResponses.ok(alreadyConfirmed) : WorkflowResponses.noContent()
    }

    /// `POST /deletions/{id}/confirm` with `{"token": "..."}`: the step the request waits for.
    static func confirmByID(_ call: inout APICall) throws -> HTTPResponse {
        let request = try DeletionRoutes.visibleRequest(call)
        // A single request is judged by the confirm rule whatever its status (DOM-121); a bulk one by
        // the approval it waits for.
        let step: DeletionRules.Step? = request.kind == "bulk"
            ? DeletionRules.step(kind: request.kind, status: request.status) : .confirmSingle
        try call.authorize(try DeletionApprovalStore.mayApprove(request, step: step, caller: call.caller,
                                                                database: call.database))
        guard let body = try call.recordBody(wrapper: nil) else { throw RegistryError.badRequest("request body is required") }
        var fields = FieldReader(body)
        // A missing or empty token is a bad token (409, as on #9/#19, API-116), not a field error;
        // a token that is no string is one (422).
        let token = fields.optionalString("token", maxBytes: 256).value
        try fields.errors.throwIfAny()
        guard let step else { throw RegistryError.conflict("deletion request \(request.id) is \(request.status)") }
        _ = try DeletionApprovalStore.approve(request.id, step: step, token: token, confirmedIsDone: false,
                                              context: call.workflowContext, database: call.database)
        return WorkflowResponses.noContent()
    }

    /// `POST /{inst}/confirm_bulk_delete_institution` (#43) and `…/confirm_bulk_delete_admin` (#44):
    /// `bulk_delete_job_id` and `confirmation_token` from the query or the body (a body value wins).
    static func confirmBulk(_ call: inout APICall, step: DeletionRules.Step) throws -> HTTPResponse {
        let institution = try DeletionRoutes.pathInstitution(call)
        // The route's role comes first: the request it names is only read from the parameters.
        guard call.route.roles.contains(call.caller.role) else { throw RegistryError.forbidden }
        try call.validateQuery(call.route.query)
        let caller = call.caller
        func visibleBulkRequest(_ id: Int64) throws -> DeletionRequestRecord {
            let found = try call.database.read { try DeletionRequestRecord.load(id: id, on: $0) }
            guard let request = found, request.kind == "bulk", request.institutionID == institution.id,
                  caller.isAdmin || request.institutionID == caller.institutionID
            else { throw RegistryError.notFound("deletion request not found: \(id)") }
            return request
        }
        // DOM-96b: a request named in the query is found (404) before the body is read (400, 422).
        if let queryID = try? ListFilters(call.query).integer("bulk_delete_job_id") {
            _ = try visibleBulkRequest(queryID)
        }
        let parameters = try BulkConfirmParameters(call)
        let request = try visibleBulkRequest(parameters.requestID)
        try call.authorize(try DeletionApprovalStore.mayApprove(request, step: step, caller: caller, database: call.database))
        _ = try DeletionApprovalStore.approve(request.id, step: step, token: parameters.token, confirmedIsDone: false,
                                              context: call.workflowContext, database: call.database)
        return WorkflowResponses.noContent()
    }
}

/// The parameters of #43/#44, from the body or else the query.
struct BulkConfirmParameters {
    let requestID: Int64
    let token: String?

    init(_ call: APICall) throws(RegistryError) {
        let body = try call.recordBody(wrapper: nil)
        var fields = FieldReader(body ?? JSONObject(members: []))
        let bodyID = fields.integer("bulk_delete_job_id").value
        let bodyToken = fields.optionalString("confirmation_token", maxBytes: 256).value
        try fields.errors.throwIfAny()
        let filters = ListFilters(try call.query)
        let queryID = try filters.integer("bulk_delete_job_id")
        guard let id = bodyID ?? queryID else {
            throw .validation(FieldErrors("bulk_delete_job_id", "can't be blank"))
        }
        requestID = id
        token = bodyToken ?? filters.value("confirmation_token")
    }
}
