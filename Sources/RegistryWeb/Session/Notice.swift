import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// One-time notices shown on the page a successful POST redirects to (html.md WEB-16, WEB-6).
///
/// The cookie carries `<code>` or `<code>.<number>`; the text comes from this table, so nothing a
/// client puts in the cookie reaches the page except a number.
enum Notice {
    static func cookieValue(_ code: String, _ number: Int64? = nil) -> String {
        number.map { "\(code).\($0)" } ?? code
    }

    /// The text for a cookie value, or nil for anything unknown.
    static func text(forCookie value: String) -> String? {
        let parts = value.split(separator: ".", maxSplits: 1)
        guard let code = parts.first else { return nil }
        let number = parts.count == 2 ? Int64(parts[1]) : nil
        if parts.count == 2 && number == nil { return nil }
        switch (String(code), number) {
        case ("session_expired", nil): return "Your session has expired."
        case ("signed_out", nil): return "You have been signed out."
        case ("password_set", nil): return "Your password has been set. Please sign in."
        case ("password_changed", nil): return "Your password has been changed."
        case ("restore_requested", let id?): return "Restore requested: work item \(id)."
        case ("deletion_requested", let id?): return "Deletion requested: deletion request \(id). The institution's administrators have been asked to confirm it."
        case ("deletion_confirmed", nil): return "The deletion request has been confirmed."
        case ("deletion_approved", nil): return "The deletion request has been approved."
        case ("deletion_cancelled", nil): return "The deletion request has been cancelled."
        case ("requeued", nil): return "The work item has been requeued."
        case ("role_changed", nil): return "The role has been changed."
        case ("role_unchanged", nil): return "The user already had that role."
        case ("user_deactivated", nil): return "The user has been deactivated; their sessions were ended and their API keys revoked."
        case ("user_reactivated", nil): return "The user has been reactivated."
        case ("user_unchanged", nil): return "Nothing changed."
        case ("key_revoked", nil): return "The API key has been revoked."
        case ("key_already_revoked", nil): return "The API key was already revoked."
        case ("reset_sent", nil): return "A password reset link has been queued for the user."
        case ("reset_queued", nil): return PasswordRoutes.queuedMessage
        case ("institution_created", nil): return "The institution has been created."
        case ("institution_updated", nil): return "The institution has been updated."
        case ("institution_unchanged", nil): return "Nothing changed."
        case ("institution_deactivated", nil): return "The institution has been deactivated."
        case ("institution_reactivated", nil): return "The institution has been reactivated."
        default: return nil
        }
    }
}
