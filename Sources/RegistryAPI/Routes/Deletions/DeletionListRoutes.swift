import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `GET /deletions` and `GET /deletions/{id}` (api-v2.md #39, §8 Deletion request). Admins see every
/// request; everyone else their institution's (domain.md §7.2). The show adds `object_identifiers`,
/// `file_identifiers` (identifier byte order) and `work_item_ids` (id order), one query each.
enum DeletionListRoutes {
    static let filters: Set<String> = ["institution", "status", "kind", "requested_after", "requested_before"]
    static let querySpec = QuerySpec(filters.union(ListParameters.names), repeatable: ["institution", "status"])

    static let from: PGQuery = """
         FROM deletion_requests d
        JOIN institutions i ON i.id = d.institution_id
        JOIN users ru ON ru.id = d.requested_by_id
        LEFT JOIN users iu ON iu.id = d.inst_approver_id
        LEFT JOIN users au ON au.id = d.aptrust_approver_id
        LEFT JOIN users cu ON cu.id = d.cancelled_by_id
        """

    /// Sort `date` only (the default): newest request first, then id. Deletion requests are few (a
    /// handful a day), so the sort needs no index of its own beyond the institution/status one.
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        if let sort = parameters.sort, sort != "date" { throw RegistryError.badRequest("invalid sort: \(sort)") }
        var filters = ListFilters(query)
        let institutions = filters.values(["institution"])
        if !institutions.isEmpty {
            let ids = institutions.compactMap { NumericID.parse($0) }
            let identifiers = institutions.filter { NumericID.parse($0) == nil }
            filters.clause.add("(i.identifier = ANY(\(identifiers)::text[]) OR d.institution_id = ANY(\(ids)::int8[]))")
        }
        if let status = try statusCondition(filters.values(["status"])) { filters.clause.add(status) }
        try filters.vocabulary("kind", column: "d.kind", allowed: Vocabulary.deletionKind)
        try filters.range(after: "requested_after", before: "requested_before", column: "d.requested_at")
        if !call.caller.isAdmin {
            // DOM-93: another institution named in the filter simply matches nothing.
            filters.clause.add("d.institution_id = \(call.caller.institutionID)")
        }
        let whereSQL = filters.clause.sql
        var rows: PGQuery = "SELECT "
        rows.append(Representations.deletionRequest.selectList)
        rows.append(from)
        rows.append(whereSQL)
        rows.append(" ORDER BY d.requested_at DESC, d.id DESC LIMIT \(parameters.perPage + 1) OFFSET \(parameters.offset)")
        var countQuery: PGQuery = "SELECT count(*)"
        countQuery.append(from)
        countQuery.append(whereSQL)
        let ((result, count), fromReplica) = try call.readForThisPrefix { connection in
            (try connection.query(rows), parameters.wantsCount ? try connection.query(countQuery).int(0, 0) : nil)
        }
        var envelope = ListEnvelope(call: call, parameters: parameters, count: count,
                                    hasMore: result.rowCount > parameters.perPage)
        for row in 0..<min(result.rowCount, parameters.perPage) {
            Representations.deletionRequest.writeObject(result, row: row, into: &envelope.writer)
        }
        return envelope.finish().adding(APICall.readSourceHeaders(fromReplica: fromReplica))
    }

    /// `status` values (repeatable, API-45a) as one OR condition on the shown status, in which a
    /// waiting request whose token has expired is `expired` and no longer `requested` or
    /// `institution_approved` (domain.md §8.6).
    static func statusCondition(_ values: [String]) throws(RegistryError) -> PGQuery? {
        guard !values.isEmpty else { return nil }
        var condition: PGQuery = "false"
        for value in values {
            switch value {
            case "expired":
                condition.append(" OR (d.status IN ('requested', 'institution_approved') AND d.token_expires_at <= now())")
            case "requested":
                condition.append(" OR (d.status = 'requested' AND d.token_expires_at > now())")
            case "institution_approved":
                condition.append(" OR (d.status = 'institution_approved' AND d.token_expires_at > now())")
            case "approved": condition.append(" OR d.status = 'approved'")
            case "completed": condition.append(" OR d.status = 'completed'")
            case "cancelled": condition.append(" OR d.status = 'cancelled'")
            default: throw .badRequest("invalid value for status: \(value)")
            }
        }
        return condition
    }

    static func show(_ call: inout APICall) throws -> HTTPResponse {
        let request = try DeletionRoutes.visibleRequest(call)
        try call.authorize()
        return try showResponse(id: request.id, call: call, fromReplica: call.isMemberAPI)
    }

    /// The show representation of request `id` (also the answer of cancel, #41).
    static func showResponse(id: Int64, call: APICall, fromReplica preferReplica: Bool) throws -> HTTPResponse {
        var main: PGQuery = "SELECT "
        main.append(Representations.deletionRequest.selectList)
        main.append(from)
        main.append(" WHERE d.id = \(id)")
        let read = { (connection: PGConnection) throws -> [PGResult] in
            [try connection.query(main),
             try connection.query("""
                SELECT o.identifier FROM deletion_request_objects x JOIN intellectual_objects o ON o.id = x.intellectual_object_id
                WHERE x.deletion_request_id = \(id) ORDER BY o.identifier
                """),
             try connection.query("""
                SELECT f.identifier FROM deletion_request_files y JOIN generic_files f ON f.id = y.generic_file_id
                WHERE y.deletion_request_id = \(id) ORDER BY f.identifier
                """),
             try connection.query("SELECT id FROM work_items WHERE deletion_request_id = \(id) ORDER BY id")]
        }
        let (results, fromReplica) = preferReplica ? try call.database.replicaRead(read) : (try call.database.read(read), false)
        guard results[0].rowCount == 1 else { throw RegistryError.notFound("deletion request not found: \(id)") }
        var writer = JSONWriter(capacity: 1024)
        writer.beginObject()
        Representations.deletionRequest.writeMembers(results[0], row: 0, into: &writer)
        for (key, result, isInteger) in [("object_identifiers", results[1], false), ("file_identifiers", results[2], false),
                                         ("work_item_ids", results[3], true)] {
            writer.key(key)
            writer.beginArray()
            for row in 0..<result.rowCount {
                if isInteger { writer.integerCell(result, row, 0) } else { writer.textCell(result, row, 0) }
            }
            writer.endArray()
        }
        writer.endObject()
        return APIResponse.json(200, writer.bytes, headers: APICall.readSourceHeaders(fromReplica: fromReplica))
    }
}
