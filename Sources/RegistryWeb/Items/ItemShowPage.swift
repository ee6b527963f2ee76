import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /items/{id}` (html.md §4): every field (`node` and `pid` for admins only, as in the API),
/// a link to the state for admins, and the admins' Requeue form (WEB-32).
enum ItemShowPage {
    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        try show(&call, errors: FormErrors(), status: 200)
    }

    static func show(_ call: inout WebCall, errors: FormErrors, status: Int) throws -> HTTPResponse {
        let item = try ItemPath.visibleItem(&call)
        try call.authorize()
        let caller = call.caller
        let row = try call.read { connection in
            try connection.query("""
                SELECT w.id, w.name, w.etag, w.bag_date, w.bucket, w."user", w.note, w.action, w.stage, w.status, w.outcome,
                       w.date, w.retry, w.needs_admin_review, w.object_identifier, w.generic_file_identifier,
                       i.identifier, w.node, w.pid, w.queued_at, w.size, w.stage_started_at, w.inst_approver,
                       w.aptrust_approver, w.deletion_request_id, ws.id, w.created_at, w.updated_at,
                       w.intellectual_object_id, w.generic_file_id, w.institution_id
                FROM work_items w JOIN institutions i ON i.id = w.institution_id
                LEFT JOIN work_item_states ws ON ws.work_item_id = w.id
                WHERE w.id = \(item.id)
                """)
        }
        var fields = FieldList()
        fields.number("Id", try row.int64(0, 0))
        fields.text("Name", row.string(0, 1))
        fields.text("ETag", row.string(0, 2), mono: true)
        fields.time("Bag date", try row.timestamp(0, 3))
        fields.text("Bucket", row.string(0, 4))
        fields.text("User", row.string(0, 5))
        fields.text("Note", row.string(0, 6))
        fields.text("Action", row.string(0, 7))
        fields.text("Stage", row.string(0, 8))
        fields.text("Status", row.string(0, 9))
        fields.text("Outcome", row.string(0, 10))
        fields.time("Date", try row.timestamp(0, 11))
        fields.text("Retry", try row.bool(0, 12).map { $0 ? "yes" : "no" })
        fields.text("Needs admin review", try row.bool(0, 13).map { $0 ? "yes" : "no" })
        fields.link("Object", row.string(0, 14), href: row.string(0, 14).map(Links.object))
        fields.number("Object id", try row.int64(0, 28))
        fields.link("File", row.string(0, 15), href: row.string(0, 15).map(Links.file))
        fields.number("File id", try row.int64(0, 29))
        fields.link("Institution", row.string(0, 16), href: row.string(0, 16).map(Links.institution))
        fields.number("Institution id", try row.int64(0, 30))
        if caller.isAdmin {
            fields.text("Node", row.string(0, 17))
            fields.number("Pid", try row.int64(0, 18))
        }
        fields.time("Queued", try row.timestamp(0, 19))
        fields.size("Size", try row.int64(0, 20))
        fields.time("Stage started", try row.timestamp(0, 21))
        fields.text("Institutional approver", row.string(0, 22))
        fields.text("APTrust approver", row.string(0, 23))
        let deletionID = try row.int64(0, 24)
        fields.link("Deletion request", deletionID.map { String($0) }, href: deletionID.map(Links.deletion))
        fields.number("Work item state id", try row.int64(0, 25))
        fields.time("Created", try row.timestamp(0, 26))
        fields.time("Updated", try row.timestamp(0, 27))

        var context: [String: Any] = ["id": item.id, "fields": fields.rows, "state_href": false, "requeue": false]
        if caller.isAdmin {
            if try row.int64(0, 25) != nil { context["state_href"] = Links.item(item.id) + "/state" }
            if row.string(0, 9) != "Success" {
                var requeue: [String: Any] = ["action": Links.item(item.id) + "/requeue", "csrf_token": call.csrfToken,
                                              "stages": false, "delete_state": false]
                if item.action == "Ingest" {
                    requeue["stages"] = ["options": Options.make([("Fetch", "Fetch"), ("Store", "Store"), ("Record", "Record")],
                                                                 selected: [])]
                }
                if item.action == "Restore" || item.action == "Glacier Restore" { requeue["delete_state"] = true }
                context["requeue"] = requeue
            }
        }
        errors.apply(to: &context, labels: ["stage": "Stage"])
        return call.render(Page("Work item \(item.id)", template: "item", status: status, context))
    }

    /// `GET /items/{id}/state` (admins): the state text in `<pre>`. An own item's state is a 403 for
    /// everyone else, another institution's item a 404 (DOM-96a).
    static func state(_ call: inout WebCall) throws -> HTTPResponse {
        let item = try ItemPath.visibleItem(&call)
        try call.authorize(call.caller.isAdmin)
        let stored = try call.read { connection -> [UInt8]? in
            let result = try connection.query("SELECT id FROM work_item_states WHERE work_item_id = \(item.id)")
            guard result.rowCount == 1, let id = try result.int64(0, 0) else { return nil }
            return try WorkItemStateStore.read(id: id, on: connection)?.text
        }
        let context: [String: Any] = ["id": item.id, "href": Links.item(item.id),
                                      "state": stored.map { String(decoding: $0, as: UTF8.self) } ?? false]
        return call.render(Page("State of work item \(item.id)", template: "item_state", context))
    }
}

/// Resolving `{id}` to a work item the caller may see (admins all, others their institution's).
enum ItemPath {
    static func visibleItem(_ call: inout WebCall) throws -> WorkItemRef {
        let caller = call.caller
        guard let id = call.parameters.int64("id"),
              let item = try call.read({ try WorkItemLookup.item(id: id, caller: caller, on: $0) }) else {
            throw RegistryError.notFound("work item not found: \(call.parameters.raw("id") ?? "")")
        }
        return item
    }
}
