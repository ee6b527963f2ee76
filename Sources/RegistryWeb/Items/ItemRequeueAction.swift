import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `POST /items/{id}/requeue` (html.md WEB-32, domain.md DOM-115): admins only; `stage` (Fetch,
/// Store or Record, only for Ingest) and the `delete_state` checkbox (Restore, Glacier Restore).
enum ItemRequeueAction {
    static func requeue(_ call: inout WebCall) throws -> HTTPResponse {
        let item = try ItemPath.visibleItem(&call)
        try call.authorize(call.caller.isAdmin)
        let form = try call.form
        let stage = form.first("stage").flatMap { $0.isEmpty ? nil : $0 }
        let plan: RequeuePlan
        do {
            plan = try RequeuePlan.forAction(item.action, stage: stage, deleteState: Self.isChecked(form.first("delete_state")))
        } catch {
            guard case .validation(let errors) = error else { throw error }
            return try ItemShowPage.show(&call, errors: FormErrors(errors), status: 422)
        }
        var audit = call.audit("work_item.requeue", status: 303)
        audit.resourceType = "work_item"
        audit.institutionID = item.institutionID
        try call.database.transaction { connection in
            guard try WorkItemStore.requeue(id: item.id, plan: plan, audit: audit, on: connection) else {
                throw RegistryError.notFound("work item not found: \(item.id)")
            }
        }
        return call.redirect(to: Links.item(item.id), notice: "requeued")
    }

    /// A checkbox is checked when the form carries it with any value but `false`/`0` (browsers send
    /// `on` unless the control sets a value; the page's sets `true`).
    static func isChecked(_ value: String?) -> Bool {
        guard let value, !value.isEmpty else { return false }
        return value != "false" && value != "0"
    }
}

/// `/items` pages and the requeue action (html.md §4, WEB-32).
enum ItemRoutes {
    static var routes: [WebRoute] {
        [
            WebRoute("items.list", [.get], "/items", handler: ItemListPage.show),
            WebRoute("items.show", [.get], "/items/{id}", namesRecord: true, constraints: ["id": WebRoute.numeric],
                     handler: ItemShowPage.show),
            WebRoute("items.state", [.get], "/items/{id}/state", namesRecord: true, constraints: ["id": WebRoute.numeric],
                     handler: ItemShowPage.state),
            WebRoute("items.requeue", [.post], "/items/{id}/requeue", namesRecord: true,
                     constraints: ["id": WebRoute.numeric], handler: ItemRequeueAction.requeue),
        ]
    }
}
