import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /institutions` and `GET /institutions/{inst}` (html.md §4): admins all (with the API's
/// list filters, InstitutionListQuery), everyone else their own institution, read-only.
enum InstitutionPages {
    static func list(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        let parsed: (list: WebListRequest, clause: WhereClause)
        do {
            parsed = try parse(call)
        } catch {
            guard case .badRequest(let message) = error else { throw error }
            var context: [String: Any] = ["institutions": [[String: Any]](), "new_href": false]
            ListParameterError.formErrors(message, controls: []).apply(to: &context, labels: [:])
            return call.render(Page("Institutions", template: "institutions", status: 400, context))
        }
        let (list, clause) = parsed
        let sql = InstitutionListQuery.page(
            selectList: """
                i.identifier, i.name, i.type, p.identifier, i.state,
                       (SELECT count(*) FROM users u WHERE u.institution_id = i.id), i.receiving_bucket, i.restore_bucket
                """,
            from: " FROM institutions i LEFT JOIN institutions p ON p.id = i.member_institution_id", clause,
            limit: list.perPage, offset: list.offset)
        let (result, total) = try call.read { connection in
            try sql.pageAndCount(offset: list.offset, on: connection)
        }
        let institutions: [[String: Any]] = try (0..<result.rowCount).map { row in
            let identifier = result.string(row, 0) ?? ""
            let parent = result.string(row, 3)
            return ["identifier": identifier, "href": Links.institution(identifier), "name": result.string(row, 1) ?? "",
                    "type": TypeText.label(result.string(row, 2) ?? ""), "parent": parent ?? false,
                    "parent_href": Links.institution(parent, for: call.caller) ?? false,
                    "state": result.string(row, 4) == "A" ? "Active" : "Deactivated",
                    "users": Display.grouped(try result.int64(row, 5) ?? 0),
                    "receiving_bucket": result.string(row, 6) ?? "", "restore_bucket": result.string(row, 7) ?? ""]
        }
        let context: [String: Any] = ["institutions": institutions, "count": Display.grouped(Int64(total)),
                                      "pagination": list.pagination(count: total),
                                      "new_href": caller.isAdmin ? "/institutions/new" : false]
        return call.render(Page("Institutions", template: "institutions", context))
    }

    private static func parse(_ call: WebCall) throws(RegistryError) -> (list: WebListRequest, clause: WhereClause) {
        let list = try WebListRequest(call, allowed: InstitutionListQuery.filterNames, repeatable: ["type", "state"])
        return (list, try InstitutionListQuery.scope(list.filters, caller: call.caller, sort: list.sort))
    }

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let institution = try InstitutionPath.visibleInstitution(&call)
        try call.authorize()
        let row = try call.read { connection in
            try connection.query("""
                SELECT i.identifier, i.name, i.type, p.identifier, i.receiving_bucket, i.restore_bucket, i.state,
                       i.deactivated_at, i.created_at, i.updated_at,
                       (SELECT count(*) FROM users u WHERE u.institution_id = i.id)
                FROM institutions i LEFT JOIN institutions p ON p.id = i.member_institution_id WHERE i.id = \(institution.id)
                """)
        }
        var fields = FieldList()
        fields.text("Name", row.string(0, 1))
        fields.text("Identifier", row.string(0, 0))
        fields.text("Type", row.string(0, 2).map(TypeText.label))
        fields.link("Member institution", row.string(0, 3), href: Links.institution(row.string(0, 3), for: call.caller))
        fields.text("Receiving bucket", row.string(0, 4), mono: true)
        fields.text("Restore bucket", row.string(0, 5), mono: true)
        fields.text("State", row.string(0, 6) == "A" ? "Active" : "Deactivated")
        fields.time("Deactivated", try row.timestamp(0, 7))
        fields.number("Users", try row.int64(0, 10))
        fields.time("Created", try row.timestamp(0, 8))
        fields.time("Updated", try row.timestamp(0, 9))
        let base = Links.institution(institution.identifier)
        var context: [String: Any] = ["identifier": institution.identifier, "name": row.string(0, 1) ?? "",
                                      "fields": fields.rows, "admin": false, "csrf_token": call.csrfToken]
        if call.caller.isAdmin {
            context["admin"] = ["edit_href": base + "/edit",
                                "deactivate_action": institution.state == "A" ? base + "/deactivate" : false,
                                "reactivate_action": institution.state == "D" ? base + "/reactivate" : false,
                                "users_href": Links.with("/users", [("institution", institution.identifier)])]
        }
        return call.render(Page("Institution \(institution.identifier)", template: "institution", context))
    }
}

/// Resolving `{inst}` to an institution the caller may see (non-admins: only their own, DOM-96a).
enum InstitutionPath {
    static func visibleInstitution(_ call: inout WebCall) throws -> InstitutionRef {
        let identifier = try WebPathIdentifier(call.parameters, "inst")
        let caller = call.caller
        let found = try call.read { connection in
            try identifier.lookup { try RecordLookups.institution(identifierOrID: $0, caller: caller, on: connection) }
        }
        guard let found else { throw RegistryError.notFound("institution not found: \(identifier.literal)") }
        return found
    }
}

/// Institution types as people read them (DOM-39).
enum TypeText {
    static func label(_ type: String) -> String {
        switch type {
        case "MemberInstitution": "Member"
        case "SubscriptionInstitution": "Subscriber"
        default: type
        }
    }
}
