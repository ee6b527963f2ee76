import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `POST /deletions/{id}/confirm` (WEB-31: DOM-121 single, DOM-131/132 bulk) and
/// `POST /deletions/{id}/cancel` (DOM-127). Order of checks (DOM-96b): the request visible (404),
/// the caller may take the step (403), then the token and status (409, shown on the request page;
/// nothing changes).
enum DeletionActions {
    static func confirm(_ call: inout WebCall) throws -> HTTPResponse {
        let request = try DeletionPath.visibleRequest(&call)
        let caller = call.caller
        let step: DeletionRules.Step? = request.kind == "bulk"
            ? DeletionRules.step(kind: request.kind, status: request.status) : .confirmSingle
        try call.authorize(try DeletionApprovalStore.mayApprove(request, step: step, caller: caller, database: call.database))
        let token = try call.form.first("token")
        do {
            guard let step else { throw RegistryError.conflict("deletion request \(request.id) is \(request.status)") }
            _ = try DeletionApprovalStore.approve(request.id, step: step, token: token, confirmedIsDone: false,
                                                  context: call.workflowContext, database: call.database)
            return call.redirect(to: Links.deletion(request.id),
                                 notice: step == .confirmSingle ? "deletion_confirmed" : "deletion_approved")
        } catch RegistryError.conflict(let message) {
            return try DeletionShowPage.render(&call, request, token: nil, error: message, status: 409)
        }
    }

    static func cancel(_ call: inout WebCall) throws -> HTTPResponse {
        let request = try DeletionPath.visibleRequest(&call)
        try call.authorize(DeletionRules.isAdminOrOwnInstitutionalAdmin(call.caller, institutionID: request.institutionID))
        do {
            try DeletionCancelStore.cancel(request.id, context: call.workflowContext, database: call.database)
            return call.redirect(to: Links.deletion(request.id), notice: "deletion_cancelled")
        } catch RegistryError.conflict(let message) {
            return try DeletionShowPage.render(&call, request, token: nil, error: message, status: 409)
        }
    }
}

extension WebCall {
    /// Who asks and from where, for the workflow stores (RegistryCore/Restores, Deletions).
    var workflowContext: WorkflowContext {
        WorkflowContext(caller: caller, origin: origin, baseURL: baseURL, serverAgent: settings.serverAgent,
                        metrics: services.metrics, answersWithRedirect: true)
    }
}

/// `/deletions` (html.md §4, WEB-31).
enum DeletionRoutes {
    static var routes: [WebRoute] {
        let id = ["id": WebRoute.numeric]
        return [
            WebRoute("deletions.list", [.get], "/deletions", handler: DeletionListPage.show),
            WebRoute("deletions.show", [.get], "/deletions/{id}", namesRecord: true, constraints: id,
                     handler: DeletionShowPage.show),
            WebRoute("deletions.confirm", [.post], "/deletions/{id}/confirm", namesRecord: true, constraints: id,
                     handler: DeletionActions.confirm),
            WebRoute("deletions.cancel", [.post], "/deletions/{id}/cancel", namesRecord: true, constraints: id,
                     handler: DeletionActions.cancel),
        ]
    }
}
