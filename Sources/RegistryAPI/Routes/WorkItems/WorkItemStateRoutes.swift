import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `/item_state` (api-v2.md routes #36–#38, API-66; domain.md §4.9, DOM-67). Admin only. The
/// state text travels as a JSON string, is stored zlib-compressed, and is never logged or audited.
enum WorkItemStateRoutes {
    static let wrapper = "work_item_state"

    static var routes: [APIRoute] {
        [
            APIRoute("item_state.upsert", [.post], "/item_state", body: .state, namesRecord: false, handler: upsert),
            APIRoute("item_state.update", [.put, .patch], "/item_state/{id}", body: .state, namesRecord: true, handler: update),
            APIRoute("item_state.show", [.get], "/item_state/{id}", namesRecord: true,
                     handler: show),
        ]
    }

    /// API-66: 201 when the item had no state, else 200 with the same id ([Compat] the fetch worker
    /// posts a new state on every attempt).
    static func upsert(_ call: inout APICall) throws -> HTTPResponse {
        guard let body = try call.recordBody(wrapper: wrapper) else { throw RegistryError.badRequest("request body is required") }
        var fields = FieldReader(body)
        let workItemID = fields.referenceID("work_item_id")
        if workItemID == nil && fields.errors.messages(for: "work_item_id").isEmpty {
            fields.fail("work_item_id", "can't be blank")
        }
        let action = fields.vocabulary("action", Vocabulary.workItemAction, required: false).value
        let text = requiredText(&fields)
        try fields.errors.throwIfAny()
        guard let workItemID, let text else { throw RegistryError.validation(fields.errors) }
        let call = call
        let audit = { (created: Bool) in
            call.audit(created ? "work_item_state.create" : "work_item_state.update", resourceType: "work_item_state",
                       resourceID: nil, resourceIdentifier: nil, institutionID: nil, status: created ? 201 : 200)
        }
        let saved = try call.database.transaction { connection in
            try WorkItemStateStore.upsert(workItemID: workItemID, action: action, text: text, audit: audit, on: connection)
        }
        guard let saved else { throw RegistryError.validation(FieldErrors("work_item_id", "is invalid")) }
        return respond(saved.created ? 201 : 200, saved, text: text)
    }

    /// Route #37: `action` and/or `state`; `work_item_id` may be sent only unchanged.
    static func update(_ call: inout APICall) throws -> HTTPResponse {
        let (id, item) = try visibleState(call)
        try call.authorize()
        guard let body = try call.recordBody(wrapper: wrapper) else { throw RegistryError.badRequest("request body is required") }
        var fields = FieldReader(body)
        if let sent = fields.referenceID("work_item_id"), sent != item.id { fields.fail("work_item_id", "cannot be changed") }
        let action = fields.vocabulary("action", Vocabulary.workItemAction, required: false).value
        let text = body["state"] == nil ? nil : requiredText(&fields)
        try fields.errors.throwIfAny()
        let audit = call.audit("work_item_state.update", resourceType: "work_item_state", resourceID: id,
                               resourceIdentifier: nil, institutionID: item.institutionID, status: 200)
        let missing = notFound(call)
        let (saved, storedText) = try call.database.transaction { connection -> (WorkItemStateStore.Saved, [UInt8]) in
            guard let saved = try WorkItemStateStore.update(id: id, action: action, text: text,
                                                            institutionID: item.institutionID, audit: audit, on: connection)
            else { throw missing }
            if let text { return (saved, text) }
            guard let stored = try WorkItemStateStore.read(id: id, on: connection) else { throw missing }
            return (saved, stored.text)
        }
        return respond(200, saved, text: storedText)
    }

    /// Route #38: 404 for an unknown id and for `0` (W7); admin only, so an inst admin asking for an
    /// own item's state gets 403 and one of another institution's items 404 (DOM-96a).
    static func show(_ call: inout APICall) throws -> HTTPResponse {
        let (id, _) = try visibleState(call)
        try call.authorize()
        let missing = notFound(call)
        guard let stored = try call.database.read({ try WorkItemStateStore.read(id: id, on: $0) }) else { throw missing }
        return respond(200, stored.saved, text: stored.text)
    }

    /// The `state` text as UTF-8 bytes: required, any content (opaque, DOM-67), even `""`.
    private static func requiredText(_ fields: inout FieldReader) -> [UInt8]? {
        switch fields.rawString("state", maxBytes: Int.max) {
        case .value(let text): return Array(text.utf8)
        case .null, .absent:
            if fields.errors.messages(for: "state").isEmpty { fields.fail("state", "can't be blank") }
            return nil
        }
    }

    private static func visibleState(_ call: APICall) throws -> (Int64, WorkItemRef) {
        let text = try PathIdentifier(call, "id").literal
        let caller = call.caller
        guard let id = NumericID.parse(text),
              let item = try call.database.read({ try WorkItemLookup.itemOfState(id: id, caller: caller, on: $0) })
        else { throw notFound(call) }
        return (id, item)
    }

    private static func notFound(_ call: APICall) -> RegistryError {
        .notFound("work item state not found: \((try? PathIdentifier(call, "id").literal) ?? "")")
    }

    /// The work item state representation (api-v2.md §8); `state` escaped straight from the bytes.
    private static func respond(_ status: Int, _ saved: WorkItemStateStore.Saved, text: [UInt8]) -> HTTPResponse {
        // Escaping can grow text (quotes, newlines of pretty-printed JSON): reserve a little extra
        // so a multi-megabyte state is not copied by repeated reallocation.
        var writer = JSONWriter(capacity: text.count + text.count / 8 + 256)
        writer.beginObject()
        writer.field("id", saved.id)
        writer.field("work_item_id", saved.workItemID)
        writer.field("action", saved.action)
        writer.key("state")
        text.withUnsafeBytes { writer.string(utf8: $0) }
        writer.field("created_at", saved.createdAt)
        writer.field("updated_at", saved.updatedAt)
        writer.endObject()
        return APIResponse.json(status, writer.bytes)
    }
}
