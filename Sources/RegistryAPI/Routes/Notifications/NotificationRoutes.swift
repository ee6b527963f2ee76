import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The notification triggers (api-v2.md §11, routes #47–#50) and, through
/// `NotificationOutboxRoutes`, the outbox (#51–#54). Admins only.
///
/// **[Compat]** The triggers also answer GET, because the cron scripts and the restore worker call
/// them that way (API-81); those GET answers carry `Deprecation: true`, except the spot test (#49).
enum NotificationRoutes {
    static var routes: [APIRoute] {
        [
            APIRoute("notifications.failed_fixity", [.get, .post], "/notifications/failed_fixity", emptyBody: true,
                     namesRecord: false, getIsDeprecated: true, query: QuerySpec(["since"]), handler: failedFixity),
            APIRoute("notifications.successful_restoration", [.get, .post], "/notifications/successful_restoration",
                     emptyBody: true, namesRecord: false, getIsDeprecated: true, query: QuerySpec(["since"]),
                     handler: successfulRestoration),
            // namesRecord: the item in the path is checked for visibility (404) before the role (403).
            APIRoute("notifications.spot_test_restoration", [.get, .post], "/notifications/spot_test_restoration/{id}",
                     emptyBody: true, namesRecord: true, handler: spotTest),
            APIRoute("notifications.deletion", [.get, .post], "/notifications/deletion", emptyBody: true,
                     namesRecord: false, getIsDeprecated: true, query: QuerySpec(["since"]), handler: deletion),
        ] + NotificationOutboxRoutes.routes
    }

    /// #47, API-130.
    static func failedFixity(_ call: inout APICall) throws -> HTTPResponse {
        try runTrigger(&call) { since, context, audit, connection in
            try NotificationTriggers.failedFixity(since: since, context: context, audit: audit, on: connection)
        }
    }

    /// #48, API-131.
    static func successfulRestoration(_ call: inout APICall) throws -> HTTPResponse {
        try runTrigger(&call) { since, context, audit, connection in
            try NotificationTriggers.successfulRestorations(since: since, context: context, audit: audit, on: connection)
        }
    }

    /// #50, API-133.
    static func deletion(_ call: inout APICall) throws -> HTTPResponse {
        try runTrigger(&call) { since, context, audit, connection in
            try NotificationTriggers.deletions(since: since, context: context, audit: audit, on: connection)
        }
    }

    /// #49, API-132, W24: 200 with the work item (the restore worker parses one), whether the
    /// notification was created now or before; 409 unless the item is a `Restore` at `Success`.
    static func spotTest(_ call: inout APICall) throws -> HTTPResponse {
        let item = try WorkItemRoutes.visibleItem(call)
        try call.authorize()
        try ignoredBody(call)
        let context = TriggerContext(baseURL: call.baseURL, opsEmail: call.settings.opsEmail)
        let audit = call.audit("notification.trigger", resourceType: "work_item", resourceID: item.id,
                               resourceIdentifier: nil, institutionID: item.institutionID, status: 200)
        let caller = call.caller
        let result = try call.database.transaction { connection in
            _ = try SpotTestTrigger.run(workItemID: item.id, context: context, audit: audit, on: connection)
            return try connection.query(WorkItemRoutes.representationQuery(id: item.id, Representations.workItemForAdmin,
                                                                           visibleTo: caller))
        }
        return WorkItemRoutes.respond(200, result, Representations.workItemForAdmin)
    }

    /// The shared part of #47, #48 and #50: `since` (default now − 24 h), one transaction, then
    /// 200 `{"message", "notifications": n}` or 204 when nothing was created.
    private static func runTrigger(
        _ call: inout APICall,
        _ trigger: (Timestamp, TriggerContext, AuditEntry, PGConnection) throws -> [Int64]
    ) throws -> HTTPResponse {
        let since = try AlertRequest.since(try call.query)
        try ignoredBody(call)
        let context = TriggerContext(baseURL: call.baseURL, opsEmail: call.settings.opsEmail)
        // The store records 204 instead when it creates nothing (API-130).
        let audit = call.audit("notification.trigger", resourceType: "notification", resourceID: nil,
                               resourceIdentifier: nil, institutionID: nil, status: 200)
        let ids = try call.database.transaction { connection in
            try trigger(since, context, audit, connection)
        }
        guard !ids.isEmpty else {
            return HTTPResponse(status: 204, headers: HTTPHeaders(["Cache-Control": "no-store"]))
        }
        var writer = JSONWriter(capacity: 128)
        writer.beginObject()
        writer.field("message", "\(ids.count) notification\(ids.count == 1 ? "" : "s") created")
        writer.field("notifications", ids.count)
        writer.endObject()
        return APIResponse.json(200, writer.bytes)
    }

    /// E routes (API-21): an empty body is fine; a body that is sent must still be JSON (415, 400),
    /// but its content is not used.
    static func ignoredBody(_ call: APICall) throws {
        if call.request.method == .post {
            _ = try call.recordBody(wrapper: nil)
        }
    }
}
