import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Role change, deactivation, reactivation and "send reset" (html.md WEB-40, WEB-9), each checked
/// against the **target** user: one the caller may not see is a 404, a visible one with a
/// forbidden action a 403 (DOM-96a), and nobody acts on their own role or activation.
enum UserActions {
    /// `POST /users/{id}/role`: `role` must be a DOM-40 value the caller may grant (else 403).
    static func changeRole(_ call: inout WebCall) throws -> HTTPResponse {
        let target = try UserPath.visibleUser(&call)
        let caller = call.caller
        try call.authorize(UserPermissions.canChangeRole(caller, target))
        let value = try call.form.first("role") ?? ""
        guard !value.isEmpty else {
            return try UserShowPage.render(&call, target, errors: errors("role", "can't be blank"), status: 422)
        }
        // WEB-43a: any value other than a role the caller may grant is a 403, a non-role included.
        guard let role = Role(rawValue: value), UserPermissions.grantableRoles(caller).contains(role) else {
            throw RegistryError.forbidden
        }
        let audit = call.audit("user.role_change", status: 303)
        let changed = try call.database.transaction {
            try UserAdministration.changeRole(target, to: role, audit: audit, on: $0)
        }
        return call.redirect(to: Links.user(target.id), notice: changed ? "role_changed" : "role_unchanged")
    }

    /// `POST /users/{id}/deactivate` (DOM-55: sessions deleted, keys revoked, same transaction).
    static func deactivate(_ call: inout WebCall) throws -> HTTPResponse {
        let target = try UserPath.visibleUser(&call)
        let caller = call.caller
        try call.authorize(UserPermissions.canSetActive(caller, target))
        let audit = call.audit("user.deactivate", status: 303)
        let changed = try call.database.transaction {
            try UserAdministration.deactivate(target, by: caller, audit: audit, on: $0)
        }
        return call.redirect(to: Links.user(target.id), notice: changed ? "user_deactivated" : "user_unchanged")
    }

    /// `POST /users/{id}/reactivate`.
    static func reactivate(_ call: inout WebCall) throws -> HTTPResponse {
        let target = try UserPath.visibleUser(&call)
        try call.authorize(UserPermissions.canSetActive(call.caller, target))
        let audit = call.audit("user.reactivate", status: 303)
        let changed = try call.database.transaction { try UserAdministration.reactivate(target, audit: audit, on: $0) }
        return call.redirect(to: Links.user(target.id), notice: changed ? "user_reactivated" : "user_unchanged")
    }

    /// `POST /users/{id}/password-reset` (WEB-9 "send reset"): a reset token and its
    /// `password_reset` notification; the link goes only to the user.
    static func sendReset(_ call: inout WebCall) throws -> HTTPResponse {
        let target = try UserPath.visibleUser(&call)
        try call.authorize(UserPermissions.canSendPasswordReset(call.caller, target))
        // DOM-96b: the user's state is checked after the permission, and answered 409.
        guard target.isActive else { throw RegistryError.conflict("user \(target.email) is deactivated") }
        var audit = call.audit("user.password_reset_request", status: 303)
        audit.resourceType = "user"
        audit.resourceID = target.id
        audit.resourceIdentifier = target.email
        audit.institutionID = target.institutionID
        let base = call.baseURL
        try call.database.transaction { connection in
            _ = try PasswordTokenStore.issue(userID: target.id, purpose: .reset, baseURL: base, on: connection)
            try AuditLog.append(audit, on: connection)
        }
        return call.redirect(to: Links.user(target.id), notice: "reset_sent")
    }

    static func errors(_ field: String, _ message: String) -> FormErrors {
        var errors = FormErrors()
        errors.add(field, message)
        return errors
    }
}

/// `POST /users/{id}/api-keys` (WEB-42) and `POST /api-keys/{id}/revoke` (WEB-43).
enum APIKeyActions {
    /// The new key is shown once, on a 200 page with `Cache-Control: no-store` (WEB-16); the
    /// audit row names the key id and label, never the key.
    static func issue(_ call: inout WebCall) throws -> HTTPResponse {
        let target = try UserPath.visibleUser(&call)
        let caller = call.caller
        try call.authorize(UserPermissions.canIssueKey(caller, for: target))
        let form = try call.form
        let label = form.first("label") ?? ""
        let daysText = (form.first("expires_days") ?? "").trimmedWhitespace()
        var days: Int?
        if !daysText.isEmpty {
            guard daysText.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), daysText.utf8.count <= 6, let value = Int(daysText) else {
                return try UserShowPage.render(&call, target, errors: UserActions.errors("expires_days", "must be a whole number of days"),
                                               status: 422, values: ["label": label, "expires_days": daysText])
            }
            days = value
        }
        // DOM-96b: the store checks the form's validity (4, a 422 below) before the user's state
        // (5, a 409 for a deactivated user, under the user's row lock).
        let audit = call.audit("api_key.issue", status: 200)
        let issued: APIKeyStore.IssuedKey
        do {
            issued = try call.database.transaction {
                try APIKeyStore.issue(userID: target.id, label: label, expiresInDays: days, createdBy: caller.userID,
                                      audit: audit, on: $0)
            }
        } catch let error as RegistryError {
            guard case .validation(let fields) = error else { throw error }
            return try UserShowPage.render(&call, target, errors: FormErrors(fields), status: 422,
                                           values: ["label": label, "expires_days": daysText])
        }
        let context: [String: Any] = ["key": issued.key, "label": label, "user": target.name,
                                      "back_href": target.id == caller.userID ? "/account" : Links.user(target.id)]
        return call.render(Page("New API key", template: "api_key_issued", context))
    }

    static func revoke(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        guard let id = call.parameters.int64("id"),
              let key = try call.database.read({ try APIKeyStore.key(id: id, caller: caller, on: $0) }) else {
            throw RegistryError.notFound("API key not found: \(call.parameters.raw("id") ?? "")")
        }
        try call.authorize(UserPermissions.canManageKeys(caller, of: key.owner))
        let audit = call.audit("api_key.revoke", status: 303)
        let changed = try call.database.transaction { try APIKeyStore.revoke(key, by: caller, audit: audit, on: $0) }
        return call.redirect(to: Links.user(key.owner.id), notice: changed ? "key_revoked" : "key_already_revoked")
    }
}
