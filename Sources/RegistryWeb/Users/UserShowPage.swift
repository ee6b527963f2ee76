import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /users/{id}` and `GET /account` (html.md §4, WEB-40..43): role, status, API keys, and the
/// forms the caller may use on this **target** user (domain.md §7.2, DOM-96).
enum UserShowPage {
    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let target = try UserPath.visibleUser(&call)
        try call.authorize()
        return try render(&call, target, errors: FormErrors(), status: 200)
    }

    /// `/account`: the signed-in user's own page.
    static func account(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        guard let me = try call.database.read({ try UserLookup.user(id: caller.userID, caller: caller, on: $0) }) else {
            throw RegistryError.notFound("user not found: \(caller.email)")
        }
        return try render(&call, me, errors: FormErrors(), status: 200)
    }

    /// Also used to re-show the page with a form's errors (422).
    static func render(_ call: inout WebCall, _ target: UserRef, errors: FormErrors, status: Int,
                       values: [String: String] = [:]) throws -> HTTPResponse {
        let caller = call.caller
        let isSelf = target.id == caller.userID
        let (profile, keys) = try call.read { connection in
            (try connection.query("""
                SELECT u.last_sign_in_at, u.created_at, u.deactivated_at FROM users u WHERE u.id = \(target.id)
                """),
             try connection.query("""
                SELECT id, label, key_prefix, created_at, last_used_at, expires_at, revoked_at FROM api_keys
                WHERE user_id = \(target.id) ORDER BY created_at DESC, id DESC
                """))
        }
        var fields = FieldList()
        fields.text("Name", target.name)
        fields.text("E-mail", target.email)
        fields.link("Institution", target.institutionIdentifier, href: Links.institution(target.institutionIdentifier))
        fields.text("Role", RoleText.label(target.role))
        fields.text("Status", target.isActive ? "Active" : "Deactivated")
        fields.time("Last sign-in", try profile.timestamp(0, 0))
        fields.time("Created", try profile.timestamp(0, 1))
        fields.time("Deactivated", try profile.timestamp(0, 2))
        let manageKeys = UserPermissions.canManageKeys(caller, of: target)
        let keyRows: [[String: Any]] = try (0..<keys.rowCount).map { row in
            let id = try keys.int64(row, 0) ?? 0
            let revoked = try keys.timestamp(row, 6)
            return ["label": keys.string(row, 1) ?? "", "prefix": keys.string(row, 2) ?? "",
                    "created": Display.time(try keys.timestamp(row, 3)) ?? false,
                    "last_used": Display.time(try keys.timestamp(row, 4)) ?? false,
                    "expires": Display.time(try keys.timestamp(row, 5)) ?? false,
                    "revoked": Display.time(revoked) ?? false,
                    "revoke_action": manageKeys && revoked == nil ? "/api-keys/\(id)/revoke" : false]
        }
        var context: [String: Any] = [
            "heading": isSelf && call.request.head.path.hasPrefix("/account") ? "Your account"
                                                                              : "User \(target.name) (\(target.email))",
            "fields": fields.rows, "keys": keyRows, "show_keys": manageKeys, "csrf_token": call.csrfToken,
            "is_account": isSelf, "password_href": "/account/password",
            "role_form": false, "activate_form": false, "deactivate_form": false, "reset_form": false, "key_form": false,
        ]
        let base = Links.user(target.id)
        if UserPermissions.canChangeRole(caller, target) {
            let roles = UserPermissions.grantableRoles(caller)
            context["role_form"] = ["action": base + "/role",
                                    "options": Options.make(roles.map { ($0.rawValue, RoleText.label($0)) },
                                                            selected: [target.role.rawValue])]
        }
        if UserPermissions.canSetActive(caller, target) {
            context[target.isActive ? "deactivate_form" : "activate_form"] =
                ["action": base + (target.isActive ? "/deactivate" : "/reactivate")]
        }
        if UserPermissions.canSendPasswordReset(caller, target) && target.isActive && !isSelf {
            context["reset_form"] = ["action": base + "/password-reset"]
        }
        if UserPermissions.canIssueKey(caller, for: target) && target.isActive {
            context["key_form"] = ["action": base + "/api-keys", "label": values["label"] ?? "",
                                   "expires_days": values["expires_days"] ?? ""]
        }
        errors.apply(to: &context, labels: ["label": "Label", "expires_days": "Expires after (days)", "role": "Role"])
        let title = context["heading"] as? String ?? "User"
        return call.render(Page(title, template: "user", status: status, context))
    }
}

/// Resolving `{id}` to a user the caller may see (DOM-96a: anyone else is a 404).
enum UserPath {
    static func visibleUser(_ call: inout WebCall) throws -> UserRef {
        let caller = call.caller
        guard let id = call.parameters.int64("id"),
              let user = try call.read({ try UserLookup.user(id: id, caller: caller, on: $0) }) else {
            throw RegistryError.notFound("user not found: \(call.parameters.raw("id") ?? "")")
        }
        return user
    }
}
