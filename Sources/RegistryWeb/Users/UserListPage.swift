import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /users` (html.md §4, domain.md §7.2 "User list"): admins all users, inst admins their
/// institution's, inst users 403. Admins may filter by `institution`.
enum UserListPage {
    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        try call.authorize(UserPermissions.canList(caller))
        let list: WebListRequest
        do {
            list = try parse(call)
        } catch {
            guard case .badRequest(let message) = error else { throw error }
            var context: [String: Any] = ["users": [[String: Any]](), "new_href": "/users/new"]
            ListParameterError.formErrors(message, controls: []).apply(to: &context, labels: [:])
            return call.render(Page("Users", template: "users", status: 400, context))
        }
        var clause = WhereClause()
        if !caller.isAdmin {
            // The rows `UserPermissions.canSee` allows an inst admin (inst users cannot list).
            clause.add("u.institution_id = \(caller.institutionID)")
            clause.add("u.role <> 'admin'")
        } else if let condition = try InstitutionFilter(ListFilters(list.filters)).condition(column: "u.institution_id") {
            // An identifier or a numeric id, resolved as every other list's `institution` (API-45a).
            clause.add(condition)
        }
        let sql = ListSQL(select: "u.id, u.name, u.email, u.role, u.deactivated_at IS NULL, u.last_sign_in_at, i.identifier",
                          from: " FROM users u JOIN institutions i ON i.id = u.institution_id", where: clause,
                          orderBy: " ORDER BY u.name, u.id", limit: list.perPage, offset: list.offset)
        let (result, total) = try call.read { connection in
            try sql.pageAndCount(offset: list.offset, on: connection)
        }
        let users: [[String: Any]] = try (0..<result.rowCount).map { row in
            let id = try result.int64(row, 0) ?? 0
            return ["href": Links.user(id), "name": result.string(row, 1) ?? "", "email": result.string(row, 2) ?? "",
                    "role": result.string(row, 3).flatMap(Role.init(rawValue:)).map(RoleText.label) ?? "",
                    "status": try result.bool(row, 4) == true ? "Active" : "Deactivated",
                    "last_sign_in": Display.time(try result.timestamp(row, 5)) ?? false,
                    "institution": result.string(row, 6) ?? ""]
        }
        let context: [String: Any] = ["users": users, "count": Display.grouped(Int64(total)),
                                      "pagination": list.pagination(count: total), "new_href": "/users/new"]
        return call.render(Page("Users", template: "users", context))
    }

    private static func parse(_ call: WebCall) throws(RegistryError) -> WebListRequest {
        let list = try WebListRequest(call, allowed: call.caller.isAdmin ? ["institution"] : [], repeatable: [])
        if let sort = list.sort, sort != "name" { throw .badRequest("invalid sort: \(sort)") }
        return list
    }
}
