import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `PUT /items/{id}/requeue` (route #35, domain.md DOM-115): admin only; `stage` and
/// `delete_state` from the body or, when the body lacks them, from the query; an empty body is
/// accepted (E column).
enum WorkItemRequeueRoute {
    static func requeue(_ call: inout APICall) throws -> HTTPResponse {
        let item = try WorkItemRoutes.visibleItem(call)
        try call.authorize()
        let parameters = try RequeueParameters(call)
        let plan = try RequeuePlan.forAction(item.action, stage: parameters.stage, deleteState: parameters.deleteState)
        let audit = call.audit("work_item.requeue", resourceType: "work_item", resourceID: item.id,
                               resourceIdentifier: nil, institutionID: item.institutionID, status: 200)
        let caller = call.caller
        let missing = WorkItemRoutes.notFound(id: item.id, call)
        let result = try call.database.transaction { connection in
            guard try WorkItemStore.requeue(id: item.id, plan: plan, audit: audit, on: connection) else { throw missing }
            return try connection.query(WorkItemRoutes.representationQuery(id: item.id, Representations.workItemForAdmin,
                                                                           visibleTo: caller))
        }
        return WorkItemRoutes.respond(200, result, Representations.workItemForAdmin)
    }
}

/// The two requeue parameters; a body value wins over the query's.
struct RequeueParameters {
    var stage: String?
    var deleteState = false

    init(_ call: APICall) throws(RegistryError) {
        let body = try call.recordBody(wrapper: nil)
        var fields = FieldReader(body ?? JSONObject(members: []))
        let bodyStage = fields.optionalString("stage").value
        let bodyDeleteState = fields.boolean("delete_state").value
        try fields.errors.throwIfAny()
        let query = try call.query
        let filters = ListFilters(query)
        stage = bodyStage ?? filters.value("stage")
        if let bodyDeleteState {
            deleteState = bodyDeleteState
        } else if let flag = try filters.boolean("delete_state") {
            deleteState = flag
        }
    }
}
