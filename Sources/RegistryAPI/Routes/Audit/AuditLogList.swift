import HTTPServer
import Postgres
import RegistryCore

/// `GET /audit/log` (auditor.md AUD-70): admins see every row, institutional admins the rows of their
/// institution; an `institution` filter naming another institution gives an empty list (DOM-96a).
enum AuditLogList {
    static let filters: Set<String> = ["actor", "action", "resource_type", "resource_identifier", "institution",
                                       "status", "after", "before"]

    static var route: APIRoute {
        APIRoute("audit.log", [.get], "/audit/log", namesRecord: false,
                 query: spec, handler: list)
    }

    /// API-45a: only `institution` and `status` may repeat here. The shared list rule would also let
    /// `action` repeat, but that is the work items' alias of `item_action`; here it is the audit
    /// log's own filter, which names one action.
    static var spec: QuerySpec {
        QuerySpec(filters.union(ListParameters.names), repeatable: ["institution", "status"])
    }

    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        if let sort = parameters.sort, sort != "date" { throw RegistryError.badRequest("invalid sort: \(sort)") }
        var filters = ListFilters(query)
        if let actor = filters.value("actor") {
            filters.clause.add("a.actor_email = \(EmailAddress.normalized(actor))")
        }
        filters.exact("action", column: "a.action")
        filters.exact("resource_type", column: "a.resource_type")
        filters.exact("resource_identifier", column: "a.resource_identifier")
        let statuses = try filters.values(["status"]).map { value throws(RegistryError) -> Int64 in
            guard let status = NumericID.parse(value) else { throw .badRequest("invalid integer for status: \(value)") }
            return status
        }
        if !statuses.isEmpty {
            filters.clause.add("a.status = ANY(\(statuses))")
        }
        try filters.range(after: "after", before: "before", column: "a.occurred_at")
        let institutions = try InstitutionFilter(filters)
        if !institutions.isEmpty {
            // Unknown or invisible ones match nothing, answered like any empty filter (DOM-96a).
            let caller = call.caller
            let ids = try call.database.read { connection in try institutions.visibleIDs(caller: caller, on: connection) }
            filters.clause.add("a.institution_id = ANY(\(ids.isEmpty ? [-1] : ids))")
        }
        if !call.caller.isAdmin {
            filters.clause.add("a.institution_id = \(call.caller.institutionID)")
        }
        let sql = ListSQL(select: Representations.auditEntry.selectList, from: " FROM audit_log a", where: filters.clause,
                          orderBy: " ORDER BY a.occurred_at DESC, a.id DESC", limit: parameters.perPage + 1,
                          offset: parameters.offset)
        // OPS-67: the audit log is one of the reads a replica may serve.
        let (page, _) = try call.database.replicaRead { try ListPage(sql, parameters, on: $0) }
        return ListEnvelope.response(call, parameters, page, Representations.auditEntry)
    }
}
