import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `/items` (api-v2.md §10.6, routes #31–#35) and, through `WorkItemStateRoutes`, `/item_state`
/// (#36–#38).
enum WorkItemRoutes {
    static var routes: [APIRoute] {
        [
            APIRoute("items.list", [.get], "/items", member: [.get], namesRecord: false,
                     query: QuerySpec(WorkItemListQuery.filterNames.union(ListParameters.names),
                                      repeatable: WorkItemListQuery.repeatable),
                     handler: list),
            APIRoute("items.create", [.post], "/items", namesRecord: false, handler: create),
            APIRoute("items.show", [.get], "/items/{id}", member: [.get], namesRecord: true, handler: show),
            APIRoute("items.update", [.put, .patch], "/items/{id}", namesRecord: true,
                     handler: update),
            APIRoute("items.requeue", [.put], "/items/{id}/requeue", emptyBody: true, namesRecord: true, query: QuerySpec(["stage", "delete_state"]), handler: WorkItemRequeueRoute.requeue),
        ] + WorkItemStateRoutes.routes
    }

    /// API-105: filters, sorts, tenant scoping; `node`/`pid` only for admins.
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let (sql, parameters, representation) = try listPage(call)
        let page = try call.database.read { try ListPage(sql, parameters, on: $0) }
        return ListEnvelope.response(call, parameters, page, representation)
    }

    /// The page SQL of a list: pure (no lookups), so `LoopListRoutes.items` shares it.
    static func listPage(_ call: APICall) throws -> (ListSQL, ListParameters, Representation) {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        let listQuery = try WorkItemListQuery(query, caller: call.caller, sort: parameters.sort)
        let representation = representation(for: call.caller)
        let sql = listQuery.page(selectList: representation.selectList, limit: parameters.perPage + 1,
                                 offset: parameters.offset)
        return (sql, parameters, representation)
    }

    /// Route #32: another institution's item is a 404 for non-admins, like a missing one (DOM-96a).
    static func show(_ call: inout APICall) throws -> HTTPResponse {
        let id = try itemID(call)
        let caller = call.caller
        let representation = representation(for: caller)
        let result = try call.database.read { connection in
            try connection.query(representationQuery(id: id, representation, visibleTo: caller))
        }
        guard result.rowCount == 1 else { throw notFound(id: id, call) }
        try call.authorize()
        return respond(200, result, representation)
    }

    /// Route #33 (API-106): exactly 201 [Compat] (the bucket reader requires it).
    static func create(_ call: inout APICall) throws -> HTTPResponse {
        guard let body = try call.recordBody(wrapper: WorkItemBody.wrapper) else {
            throw RegistryError.badRequest("request body is required")
        }
        let input: WorkItemBody.Create
        do {
            input = try WorkItemBody.create(body, caller: call.caller, now: Timestamp.now())
        } catch .validation(let errors) {
            throw RegistryError.validation(try WorkItemBody.withReferenceErrors(errors, of: body, database: call.database))
        }
        let audit = call.audit("work_item.create", resourceType: "work_item", resourceID: nil, resourceIdentifier: nil,
                               institutionID: nil, status: 201)
        let caller = call.caller
        let result = try call.database.transaction { connection in
            let id = try WorkItemStore.create(input.record, bodyObjectID: input.objectID, bodyFileID: input.fileID,
                                              audit: audit, on: connection)
            return try connection.query(representationQuery(id: id, Representations.workItemForAdmin, visibleTo: caller))
        }
        return respond(201, result, Representations.workItemForAdmin)
    }

    /// Route #34 (API-107, DOM-100): PUT and PATCH both leave absent fields unchanged; exactly 200.
    static func update(_ call: inout APICall) throws -> HTTPResponse {
        let item = try visibleItem(call)
        try call.authorize()
        guard let body = try call.recordBody(wrapper: WorkItemBody.wrapper) else {
            throw RegistryError.badRequest("request body is required")
        }
        let changes: WorkItemChanges
        do {
            changes = try WorkItemBody.changes(body, of: item)
        } catch .validation(let errors) {
            throw RegistryError.validation(try WorkItemBody.withReferenceErrors(errors, of: body, database: call.database))
        }
        let audit = call.audit("work_item.update", resourceType: "work_item", resourceID: item.id, resourceIdentifier: nil,
                               institutionID: item.institutionID, status: 200)
        let caller = call.caller
        let missing = notFound(id: item.id, call)
        let result = try call.database.transaction { connection in
            guard try WorkItemStore.update(id: item.id, changes, audit: audit, on: connection) else { throw missing }
            return try connection.query(representationQuery(id: item.id, Representations.workItemForAdmin, visibleTo: caller))
        }
        return respond(200, result, Representations.workItemForAdmin)
    }

    // MARK: Shared by the work item routes

    /// `node` and `pid` are for admins only (api-v2.md §8).
    static func representation(for caller: Caller) -> Representation {
        caller.isAdmin ? Representations.workItemForAdmin : Representations.workItem
    }

    /// The `{id}` of the path; anything but a numeric id names no item (404).
    static func itemID(_ call: APICall) throws -> Int64 {
        let text = try PathIdentifier(call, "id").literal
        guard let id = NumericID.parse(text) else {
            throw RegistryError.notFound("work item not found: \(text)")
        }
        return id
    }

    static func notFound(id: Int64, _ call: APICall) -> RegistryError {
        .notFound("work item not found: \((try? PathIdentifier(call, "id").literal) ?? String(id))")
    }

    /// DOM-96b step 2: the path's item, visible to the caller, or 404.
    static func visibleItem(_ call: APICall) throws -> WorkItemRef {
        let id = try itemID(call)
        let caller = call.caller
        guard let item = try call.database.read({ try WorkItemLookup.item(id: id, caller: caller, on: $0) }) else {
            throw notFound(id: id, call)
        }
        return item
    }

    /// One item in `representation`, with its state id (DOM-76: one LEFT JOIN).
    static func representationQuery(id: Int64, _ representation: Representation, visibleTo caller: Caller) -> PGQuery {
        var query: PGQuery = "SELECT "
        query.append(representation.selectList)
        query.append(" FROM work_items w LEFT JOIN work_item_states ws ON ws.work_item_id = w.id WHERE w.id = \(id)")
        if !caller.isAdmin {
            query.append(" AND w.institution_id = \(caller.institutionID)")
        }
        return query
    }

    static func respond(_ status: Int, _ result: PGResult, _ representation: Representation) -> HTTPResponse {
        var writer = JSONWriter(capacity: 1024)
        representation.writeObject(result, row: 0, into: &writer)
        return APIResponse.json(status, writer.bytes)
    }
}
