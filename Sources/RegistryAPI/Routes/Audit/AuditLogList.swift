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
                 query: QuerySpec(filters.union(ListParameters.names)), handler: list)
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
        if let status = try filters.integer("status") {
            filters.clause.add("a.status = \(status)")
        }
        try filters.range(after: "after", before: "before", column: "a.occurred_at")
        if let institution = filters.value("institution") {
            // Unknown or invisible: a condition that matches nothing, answered like any empty filter.
            let found = try call.database.read {
                try RecordLookups.institution(identifierOrID: institution, caller: call.caller, on: $0)
            }
            filters.clause.add("a.institution_id = \(found?.id ?? -1)")
        }
        if !call.caller.isAdmin {
            filters.clause.add("a.institution_id = \(call.caller.institutionID)")
        }
        let sql = ListSQL(select: Representations.auditEntry.selectList, from: " FROM audit_log a", where: filters.clause,
                          orderBy: " ORDER BY a.occurred_at DESC, a.id DESC", limit: parameters.perPage + 1,
                          offset: parameters.offset)
        // OPS-67: the audit log is one of the reads a replica may serve.
        let (page, fromReplica) = try call.database.replicaRead { try ListPage(sql, parameters, on: $0) }
        return ListEnvelope.response(call, parameters, page, Representations.auditEntry)
            .adding(APICall.readSourceHeaders(fromReplica: fromReplica))
    }
}
