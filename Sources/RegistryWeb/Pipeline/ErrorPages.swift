import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The HTML error pages of html.md WEB-26, and the mapping of failures to them.
enum ErrorPages {
    /// A page for `error` thrown by a handler (or by the session lookup).
    static func response(for error: any Error, request: HTTPRequest, session: ActiveSession?,
                         services: WebServices) -> HTTPResponse {
        let (status, message, retryAfter) = describe(error, requestID: request.requestID, logger: services.logger)
        var response = page(status, message: message, requestID: request.requestID, path: request.head.path,
                            session: session, notice: nil, services: services)
        if let retryAfter { response.headers.set("Retry-After", retryAfter) }
        return response
    }

    /// An error page from inside a handler (the call knows the session for the navigation).
    static func render(_ status: Int, message: String, call: WebCall) -> HTTPResponse {
        page(status, message: message, requestID: call.request.requestID, path: call.request.head.path,
             session: call.session, notice: nil, services: call.services)
    }

    /// For requests no route serves: no session is looked up, so the page has the anonymous chrome.
    static func anonymous(_ status: Int, path: Substring, services: WebServices) -> HTTPResponse {
        page(status, message: nil, requestID: nil, path: path, session: nil, notice: nil, services: services)
    }

    private static func page(_ status: Int, message: String?, requestID: String?, path: Substring, session: ActiveSession?,
                             notice: String?, services: WebServices) -> HTTPResponse {
        let (title, summary) = heading(status)
        var context: [String: Any] = ["heading": title, "summary": summary, "status": status]
        if let message, message != summary { context["message"] = message }
        let chrome = PageChrome(user: session.map(UserChrome.values), navigation: Navigation.items(for: session?.caller, currentPath: path),
                                notice: notice, requestID: requestID)
        let body = services.pages.render(Page(title, template: "error", status: status, context), chrome: chrome)
        return WebResponse.html(status, body)
    }

    /// Title and the fixed sentence of each status (WEB-26).
    private static func heading(_ status: Int) -> (String, String) {
        switch status {
        case 400: ("Bad request", "The request could not be understood.")
        case 403: ("Forbidden", "You are not authorized to do this.")
        case 404: ("Not found", "not found")
        case 405: ("Method not allowed", "This page does not accept that method.")
        case 409: ("Conflict", "The request conflicts with the record's current state.")
        case 413: ("Request too large", "The request is too large.")
        case 415: ("Unsupported media type", "The request body has an unsupported type.")
        case 422: ("Invalid input", "The input is not valid.")
        case 503: ("Service unavailable", "The service is unavailable; try again shortly.")
        default: ("Internal error", "Something went wrong on our side.")
        }
    }

    /// Status, message and `Retry-After` for a failure; details of unexpected ones go to the log only.
    private static func describe(_ error: any Error, requestID: String, logger: JSONLogger) -> (Int, String, String?) {
        switch error {
        case let error as RegistryError:
            switch error {
            case .unauthenticated: return (403, RegistryError.forbiddenMessage, nil)
            case .notFound(let message): return (404, message, nil)
            case .forbidden: return (403, "You are not authorized to do this.", nil)
            case .badRequest(let message): return (400, message, nil)
            case .unsupportedMediaType(let message): return (415, message, nil)
            case .validation(let errors):
                let text = errors.entries.map { "\($0.field) \($0.messages.joined(separator: ", "))" }.joined(separator: "; ")
                return (422, text, nil)
            case .conflict(let message): return (409, message, nil)
            }
        case is PasswordHashingGate.Busy:
            // Too many password checks at once (a burst of sign-in attempts): refused before any
            // work, so the responder threads stay free for the API.
            return (503, "Too many sign-in attempts are in progress; try again shortly.", "1")
        case let error as PGError where error.isTransient:
            // OPS-56, OPS-57, OPS-65: the database is busy or away; the page says which and when
            // to retry.
            let outage = DatabaseOutage(error)
            return (503, outage.pageMessage, outage.retryAfter)
        default:
            logger.error("unexpected error", ["request_id": .string(requestID), "error": .string(String(reflecting: error))])
            return (500, "internal error (request \(requestID))", nil)
        }
    }
}

/// The signed-in user as the layout shows them.
enum UserChrome {
    static func values(_ session: ActiveSession) -> [String: Any] {
        ["name": session.userName, "email": session.caller.email, "role": RoleText.label(session.caller.role),
         "institution": session.caller.institutionIdentifier, "csrf": session.csrfToken]
    }
}

/// Roles as people read them.
enum RoleText {
    static func label(_ role: Role) -> String {
        switch role {
        case .admin: "APTrust admin"
        case .institutionalAdmin: "institutional admin"
        case .institutionalUser: "institutional user"
        }
    }
}
