import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The outbox (api-v2.md §11, routes #51–#54), drained by an external relay: list
/// `status=pending`, send, then report `sent` or `failed`. Admins only: bodies can carry tokens
/// (DOM-141).
///
/// Visibility before permission (DOM-96a/b): a non-admin naming another institution's notification,
/// or an unknown id, gets 404; naming one of their own institution, 403.
enum NotificationOutboxRoutes {
    static let filters: Set<String> = ["status", "notification_type", "institution", "created_after"]
    static let notificationTypes: Set<String> = [
        "deletion_request", "deletion_confirmation", "deletion_finished", "bulk_deletion_request",
        "bulk_deletion_confirmation_partial", "bulk_deletion_confirmation_final", "multiple_fixity",
        "multiple_restoration", "restoration_spot_test", "deletion_notifications", "welcome", "password_reset",
    ]

    static var routes: [APIRoute] {
        [
            APIRoute("notifications.list", [.get], "/notifications", namesRecord: false,
                     query: QuerySpec(filters.union(ListParameters.names), repeatable: ["status", "institution"]),
                     handler: list),
            APIRoute("notifications.show", [.get], "/notifications/{id}", namesRecord: true,
                     handler: show),
            APIRoute("notifications.attachment", [.get], "/notifications/{id}/attachment", namesRecord: true, handler: attachment),
            APIRoute("notifications.sent", [.post], "/notifications/{id}/sent", emptyBody: true, namesRecord: true, handler: markSent),
            APIRoute("notifications.failed", [.post], "/notifications/{id}/failed", namesRecord: true, handler: markFailed),
        ]
    }

    /// #51 list: oldest first (`created_at`, then `id`), the order a relay drains the outbox in.
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        if let sort = parameters.sort { throw RegistryError.badRequest("invalid sort: \(sort)") }
        var filters = ListFilters(query)
        try filters.vocabulary("status", column: "n.status", allowed: Vocabulary.notificationStatus)
        try filters.vocabulary("notification_type", column: "n.notification_type", allowed: notificationTypes)
        // API-48: `*_after` is inclusive.
        if let createdAfter = try filters.timestamp("created_after") {
            filters.clause.add("n.created_at >= \(createdAfter)")
        }
        let institutions = try InstitutionFilter(filters)
        let page = try call.database.read { connection -> ListPage? in
            if !institutions.isEmpty {
                let ids = try institutions.visibleIDs(caller: call.caller, on: connection)
                // API-49: a filter naming an unknown institution gives an empty list.
                if ids.isEmpty { return nil }
                filters.clause.add(ids.count == 1 ? "n.institution_id = \(ids[0])" : "n.institution_id = ANY(\(ids))")
            }
            let sql = ListSQL(select: Representations.notification.selectList, from: " FROM notifications n",
                              where: filters.clause, orderBy: " ORDER BY n.created_at, n.id",
                              limit: parameters.perPage + 1, offset: parameters.offset)
            return try ListPage(sql, parameters, on: connection)
        }
        return ListEnvelope.response(call, parameters, page, Representations.notification)
    }

    /// #51 show.
    static func show(_ call: inout APICall) throws -> HTTPResponse {
        let id = try visibleNotification(call)
        try call.authorize()
        let result = try call.database.read { connection in
            var query: PGQuery = "SELECT "
            query.append(Representations.notification.selectList)
            query.append(" FROM notifications n WHERE n.id = \(id)")
            return try connection.query(query)
        }
        guard result.rowCount == 1 else { throw notFound(call) }
        var writer = JSONWriter(capacity: 1024)
        Representations.notification.writeObject(result, row: 0, into: &writer)
        return APIResponse.json(200, writer.bytes)
    }

    /// #52: the attachment's bytes with its content type; 404 when the notification has none.
    static func attachment(_ call: inout APICall) throws -> HTTPResponse {
        let id = try visibleNotification(call)
        try call.authorize()
        let result = try call.database.read { connection in
            try connection.query("""
                SELECT attachment_name, attachment_content_type, attachment FROM notifications
                WHERE id = \(id) AND attachment IS NOT NULL
                """)
        }
        guard result.rowCount == 1, let bytes = try result.bytea(0, 2) else {
            throw RegistryError.notFound("notification has no attachment: \(id)")
        }
        var headers = HTTPHeaders(["Content-Type": result.string(0, 1) ?? "application/octet-stream",
                                   "Cache-Control": "no-store"])
        if let name = result.string(0, 0), isSafeFileName(name) {
            headers.add("Content-Disposition", "attachment; filename=\"\(name)\"")
        }
        return HTTPResponse(status: 200, headers: headers, body: .bytes(bytes))
    }

    /// #53, DOM-141: status `sent`, tokens in the body redacted; 204.
    static func markSent(_ call: inout APICall) throws -> HTTPResponse {
        let (id, institutionID) = try visibleNotificationAndInstitution(call)
        try call.authorize()
        try NotificationRoutes.ignoredBody(call)
        let audit = call.audit("notification.sent", resourceType: "notification", resourceID: id, resourceIdentifier: nil,
                               institutionID: institutionID, status: 204)
        let missing = notFound(call)
        try call.database.transaction { connection in
            guard try NotificationDelivery.markSent(id: id, audit: audit, on: connection) else { throw missing }
        }
        return HTTPResponse(status: 204, headers: HTTPHeaders(["Cache-Control": "no-store"]))
    }

    /// #54: body `{"error": "..."}`; status `failed`, `attempts` + 1, `last_error` set; 204.
    static func markFailed(_ call: inout APICall) throws -> HTTPResponse {
        let (id, institutionID) = try visibleNotificationAndInstitution(call)
        try call.authorize()
        guard let body = try call.recordBody(wrapper: nil) else {
            throw RegistryError.badRequest("request body is required")
        }
        var reader = FieldReader(body)
        let error = reader.requiredString("error")
        try reader.errors.throwIfAny()
        let audit = call.audit("notification.failed", resourceType: "notification", resourceID: id,
                               resourceIdentifier: nil, institutionID: institutionID, status: 204)
        let missing = notFound(call)
        try call.database.transaction { connection in
            guard try NotificationDelivery.markFailed(id: id, error: error ?? "", audit: audit, on: connection) else {
                throw missing
            }
        }
        return HTTPResponse(status: 204, headers: HTTPHeaders(["Cache-Control": "no-store"]))
    }

    // MARK: Path record

    private static func visibleNotification(_ call: APICall) throws -> Int64 {
        try visibleNotificationAndInstitution(call).id
    }

    /// DOM-96b step 2: the `{id}` of the path, visible to the caller (admins: every notification;
    /// others: their own institution's — they are then refused with 403 by `authorize()`), or 404.
    private static func visibleNotificationAndInstitution(_ call: APICall) throws -> (id: Int64, institutionID: Int64) {
        let text = try PathIdentifier(call, "id").literal
        guard let id = NumericID.parse(text) else { throw notFound(call) }
        let result = try call.database.read { try $0.query("SELECT institution_id FROM notifications WHERE id = \(id)") }
        guard result.rowCount == 1, let institutionID = try result.int64(0, 0),
              call.caller.isAdmin || institutionID == call.caller.institutionID else { throw notFound(call) }
        return (id, institutionID)
    }

    private static func notFound(_ call: APICall) -> RegistryError {
        .notFound("notification not found: \((try? PathIdentifier(call, "id").literal) ?? "")")
    }

    /// Only plain names go into `Content-Disposition` (the attachments the registry writes are).
    private static func isSafeFileName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}
