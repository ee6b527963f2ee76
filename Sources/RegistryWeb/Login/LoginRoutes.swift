import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET`/`POST /login` and `POST /logout` (html.md WEB-1, WEB-2, WEB-6, WEB-7, WEB-10).
enum LoginRoutes {
    static let failureMessage = "Invalid e-mail or password."

    static var routes: [WebRoute] {
        [
            WebRoute("login.form", [.get], "/login", access: .anonymous, handler: form),
            WebRoute("login.submit", [.post], "/login", access: .anonymous, handler: submit),
            WebRoute("logout", [.post], "/logout", handler: logout),
        ]
    }

    static func form(_ call: inout WebCall) throws -> HTTPResponse {
        // Shown to signed-in users too: signing in again (as someone else) replaces the session.
        // A `next` that cannot be decoded (a `%00`) is dropped, not a 400: after the login it would
        // lead to `/` anyway (WEB-10).
        page(&call, email: "", next: QueryParameters(rawQueryDroppingUndecodable: call.request.head.query).first("next"),
             failure: nil)
    }

    /// WEB-1: every failure answers 200 with the same message; success opens a new session and
    /// sends the user to `next` when it is safe (WEB-10), else `/`.
    static func submit(_ call: inout WebCall) throws -> HTTPResponse {
        let form = try call.form
        let email = form.first("email") ?? ""
        let next = form.first("next").flatMap { $0.isEmpty ? nil : $0 }
        let outcome = try LoginStore.attempt(email: email, password: form.first("password") ?? "",
                                             timeouts: call.settings.sessionTimeouts, origin: call.origin,
                                             userAgent: call.request.headers["User-Agent"],
                                             replacing: Cookies.value(Cookies.session, in: call.request.headers),
                                             database: call.database)
        guard case .signedIn(let cookie, _) = outcome else {
            return page(&call, email: email, next: next, failure: failureMessage)
        }
        call.cookies.append(Cookies.setSession(cookie, secure: call.settings.cookieSecure))
        return call.redirect(to: LoginRedirect.safeTarget(next))
    }

    /// WEB-7: the row is deleted, the cookie dropped (`Max-Age=0`), a `logout` audit row written.
    static func logout(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        let sessionID = call.session?.id ?? 0
        var entry = call.audit("logout", status: 303)
        entry.resourceType = "user"
        entry.resourceID = caller.userID
        entry.resourceIdentifier = caller.email
        entry.institutionID = caller.institutionID
        try call.database.transaction { connection in
            try SessionStore.delete(id: sessionID, on: connection)
            try AuditLog.append(entry, on: connection)
        }
        call.cookies.append(Cookies.clear(Cookies.session, secure: call.settings.cookieSecure))
        return call.redirect(to: "/login", notice: "signed_out")
    }

    private static func page(_ call: inout WebCall, email: String, next: String?, failure: String?) -> HTTPResponse {
        var context: [String: Any] = ["csrf_token": call.doubleSubmitToken(), "email": email]
        if let next { context["next"] = next }
        if let failure { context["failure"] = failure }
        return call.render(Page("Sign in", template: "login", context))
    }
}
