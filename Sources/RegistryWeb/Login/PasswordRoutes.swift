import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `/password/forgot` and `/password/set` (html.md WEB-4, WEB-9): anonymous forms with the
/// double-submit CSRF token (WEB-15). No password is ever e-mailed or shown.
enum PasswordRoutes {
    static let queuedMessage = "If the account exists, a reset link has been queued."

    static var routes: [WebRoute] {
        [
            WebRoute("password.forgot_form", [.get], "/password/forgot", access: .anonymous, handler: forgotForm),
            WebRoute("password.forgot", [.post], "/password/forgot", access: .anonymous, handler: forgot),
            WebRoute("password.set_form", [.get], "/password/set", access: .anonymous, handler: setForm),
            WebRoute("password.set", [.post], "/password/set", access: .anonymous, handler: set),
        ]
    }

    static func forgotForm(_ call: inout WebCall) throws -> HTTPResponse {
        call.render(Page("Forgot password", template: "password_forgot", ["csrf_token": call.doubleSubmitToken()]))
    }

    /// The same answer whatever the e-mail; a reset token (and its `password_reset` notification)
    /// only for an active account of an active institution.
    static func forgot(_ call: inout WebCall) throws -> HTTPResponse {
        let email = EmailAddress.normalized(try call.form.trimmedField("email") ?? "")
        let base = call.baseURL
        var entry = call.audit("user.password_reset_request", status: 303)  // the 303 below
        try call.database.transaction { connection in
            let user = try connection.query("""
                SELECT u.id, u.institution_id FROM users u JOIN institutions i ON i.id = u.institution_id
                WHERE u.email = \(email) AND u.deactivated_at IS NULL AND i.state = 'A'
                """)
            guard user.rowCount == 1, let userID = try user.int64(0, 0) else {
                // DOM-82: the request succeeded (same answer whatever the e-mail), so it is recorded
                // too, with the address asked for. Anyone can send it, so at most once a minute per
                // client address (the DOM-83 limit), whatever e-mail it names: rotating addresses
                // cannot flood the log.
                entry.details = AuditDetails.object(["claimed_email": email])
                try AuditLog.appendRateLimited(entry, key: "password_reset_request|unknown|\(call.request.remoteAddress)",
                                               on: connection)
                return
            }
            _ = try PasswordTokenStore.issue(userID: userID, purpose: .reset, baseURL: base, on: connection)
            entry.resourceType = "user"
            entry.resourceID = userID
            entry.resourceIdentifier = email
            entry.institutionID = try user.int64(0, 1)
            try AuditLog.append(entry, on: connection)
        }
        // WEB-16: 303 to the form, which shows WEB-9's one answer as the one-time notice.
        return call.redirect(to: "/password/forgot", notice: "reset_queued")
    }

    static func setForm(_ call: inout WebCall) throws -> HTTPResponse {
        let token = try call.query.first("token") ?? ""
        let found = try call.database.read { try PasswordTokenStore.user(forToken: token, on: $0) }
        return setPage(&call, token: token, email: found?.email, errors: FormErrors())
    }

    /// WEB-4 rules and a matching confirmation, else 422 with the form again (WEB-10); a token
    /// that is no longer valid changes nothing.
    static func set(_ call: inout WebCall) throws -> HTTPResponse {
        let form = try call.form
        let token = form.first("token") ?? ""
        let password = form.first("new_password") ?? ""
        guard let found = try call.database.read({ try PasswordTokenStore.user(forToken: token, on: $0) }) else {
            return setPage(&call, token: token, email: nil, errors: FormErrors())
        }
        let errors = NewPasswordRules.check(password, confirmation: form.first("new_password_confirmation") ?? "",
                                            email: found.email)
        guard errors.isEmpty else { return setPage(&call, token: token, email: found.email, errors: errors) }
        let audit = call.audit("user.password_change", status: 303)
        let passwordHash = try UserPasswords.hash(password)
        let done = try call.database.transaction {
            try PasswordTokenStore.setPassword(token: token, passwordHash: passwordHash, audit: audit, on: $0)
        }
        guard done else { return setPage(&call, token: token, email: nil, errors: FormErrors()) }
        return call.redirect(to: "/login", notice: "password_set")
    }

    private static func setPage(_ call: inout WebCall, token: String, email: String?, errors: FormErrors) -> HTTPResponse {
        var context: [String: Any] = ["csrf_token": call.doubleSubmitToken(), "token": token]
        if let email { context["email"] = email } else { context["invalid"] = true }
        errors.apply(to: &context, labels: NewPasswordRules.labels)
        // DOM-96b: a token of the right shape that is unknown, used or expired fails the token check
        // (409); a missing or malformed one is an invalid request (400).
        let wellFormed = token.utf8.count == 64 && token.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }
        let status = email == nil ? (wellFormed ? 409 : 400) : (errors.isEmpty ? 200 : 422)
        return call.render(Page("Set password", template: "password_set", status: status, context))
    }
}

/// WEB-4 for a new password typed twice.
enum NewPasswordRules {
    static let labels = ["new_password": "New password", "new_password_confirmation": "Repeated password",
                         "current_password": "Current password"]

    static func check(_ password: String, confirmation: String, email: String) -> FormErrors {
        var errors = FormErrors()
        if let problem = PasswordRules.problem(password, email: email) { errors.add("new_password", problem) }
        if !password.utf8.elementsEqual(confirmation.utf8) {
            errors.add("new_password_confirmation", "does not match the new password")
        }
        return errors
    }
}
