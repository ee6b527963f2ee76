import CryptoSupport
import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET`/`POST /account/password` (html.md WEB-8): the current password, then WEB-4 rules and a
/// matching confirmation; on success the user's other sessions end and this one stays.
enum AccountPasswordRoutes {
    static var routes: [WebRoute] {
        [
            WebRoute("account.password_form", [.get], "/account/password", handler: form),
            WebRoute("account.password", [.post], "/account/password", handler: change),
        ]
    }

    static func form(_ call: inout WebCall) throws -> HTTPResponse {
        page(call, errors: FormErrors())
    }

    static func change(_ call: inout WebCall) throws -> HTTPResponse {
        let form = try call.form
        let caller = call.caller
        let password = form.first("new_password") ?? ""
        let stored = try call.database.read { connection in
            try connection.query("SELECT password_hash FROM users WHERE id = \(caller.userID)").string(0, 0)
        }
        var errors = FormErrors()
        let currentMatches = try stored.map {
            try GatedPasswordHash.verify(password: form.first("current_password") ?? "", against: $0)
        } ?? false
        if !currentMatches {
            errors.add("current_password", "is not correct")
        }
        let rules = NewPasswordRules.check(password, confirmation: form.first("new_password_confirmation") ?? "",
                                           email: caller.email)
        for entry in rules.entries { errors.add(entry.field, entry.message) }
        guard errors.isEmpty else { return page(call, errors: errors) }

        var entry = call.audit("user.password_change", status: 303)
        entry.resourceType = "user"
        entry.resourceID = caller.userID
        entry.resourceIdentifier = caller.email
        entry.institutionID = caller.institutionID
        let sessionID = call.session?.id
        let passwordHash = try UserPasswords.hash(password)
        let changed = try call.database.transaction { connection -> Bool in
            // The current password was checked outside the transaction (PBKDF2 takes a while); a
            // reset that set another one meanwhile wins, and this change is refused like a wrong
            // current password.
            let unchanged = try connection.query("""
                SELECT 1 FROM users WHERE id = \(caller.userID) AND password_hash = \(stored ?? "") FOR NO KEY UPDATE
                """)
            guard unchanged.rowCount == 1 else { return false }
            try UserPasswords.store(userID: caller.userID, passwordHash: passwordHash, on: connection)
            try SessionStore.deleteAll(userID: caller.userID, keeping: sessionID, on: connection)
            try AuditLog.append(entry, on: connection)
            return true
        }
        guard changed else {
            var stale = FormErrors()
            stale.add("current_password", "is not correct")
            return page(call, errors: stale)
        }
        return call.redirect(to: "/account", notice: "password_changed")
    }

    private static func page(_ call: WebCall, errors: FormErrors) -> HTTPResponse {
        var context: [String: Any] = ["csrf_token": call.csrfToken]
        errors.apply(to: &context, labels: NewPasswordRules.labels)
        return call.render(Page("Change password", template: "account_password", status: errors.isEmpty ? 200 : 422, context))
    }
}
