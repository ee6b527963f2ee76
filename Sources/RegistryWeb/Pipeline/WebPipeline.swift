import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Turns the HTML route table into router endpoints: session authentication (WEB-5/6, WEB-10),
/// CSRF (WEB-15), the fail-closed permission check, error pages (WEB-26) and the response headers
/// of WEB-17, in the order of domain.md DOM-96b. API-key headers are never looked at (API-13).
public struct WebPipeline: Sendable {
    let services: WebServices

    public init(services: WebServices) {
        self.services = services
    }

    /// Registers every route of the HTML view, and the static files under `/static/`.
    public func register(into builder: inout RouterBuilder<Endpoint>) throws {
        for route in WebRouteTable.all {
            try builder.add(route.methods, route.path, constraints: route.constraints, handler: endpoint(for: route))
        }
        let notFound: @Sendable (RoutedRequest) -> HTTPResponse = { routed in
            unroutedResponse(status: 404, request: routed.http.head)
        }
        let publicBaseIsHTTPS = services.settings.publicBaseURL?.hasPrefix("https:") == true
        try StaticFiles.register(into: &builder, publicBaseIsHTTPS: publicBaseIsHTTPS,
                                 maxBodyBytes: services.settings.maxBodyBytes, notFound: notFound)
    }

    func endpoint(for route: WebRoute) -> Endpoint {
        Endpoint(bodyLimit: services.settings.maxBodyBytes) { routed in
            var response = handle(routed, route: route)
            WebResponse.addSecurityHeaders(to: &response, https: isHTTPS(routed.http))
            response.routeLabel = routed.template
            return response
        }
    }

    private func handle(_ routed: RoutedRequest, route: WebRoute) -> HTTPResponse {
        let request = routed.http
        var session: ActiveSession?
        do {
            let presented = Cookies.value(Cookies.session, in: request.headers)
            if let presented {
                switch try services.database.read({
                    try SessionStore.find(cookie: presented, timeouts: services.settings.sessionTimeouts, on: $0)
                }) {
                case .active(let found): session = found
                case .expired where route.access == .signedIn: return toLogin(request, expired: true)
                case .unknown where route.access == .signedIn: return toLogin(request, expired: false, clearCookie: true)
                case .expired, .unknown, .suspended: break
                }
            }
            if route.access == .signedIn && session == nil {
                return toLogin(request, expired: false)
            }
        } catch {
            return ErrorPages.response(for: error, request: request, session: nil, services: services)
        }

        var call = WebCall(request: request, parameters: routed.parameters, route: route, services: services,
                           session: session)
        if request.method == .post, !csrfPasses(call) {
            // WEB-15, WEB-43a: without a valid token nothing else is evaluated, so a body of another
            // media type (which holds no token we could read) is this 403 too, not DOM-96b's 415:
            // the CSRF check is step 1 of its order for HTML POSTs.
            return ErrorPages.render(403, message: CSRFCheck.failureMessage, call: call)
        }
        var response = run(&call)
        if response.status == 404, call.readFromReplica {
            // A miss on the replica may only be its lag behind a record just written (the page a
            // form redirects to after creating it): the primary, which has every committed row,
            // confirms the 404 before it is sent. Only GET pages read the replica, and they change
            // nothing, so running one again is safe; it costs one more read only on a miss.
            call = WebCall(request: request, parameters: routed.parameters, route: route, services: services,
                           session: session, primaryOnly: true)
            response = run(&call)
        }
        for cookie in call.cookies { response.headers.add("Set-Cookie", cookie) }
        let setsNotice = call.cookies.contains { $0.hasPrefix(Cookies.notice + "=") }
        if Cookies.value(Cookies.notice, in: request.headers) != nil, !setsNotice, response.status != 303 {
            // The notice has been shown (or the page failed): it is one-time either way (WEB-16).
            response.headers.add("Set-Cookie", Cookies.clear(Cookies.notice, secure: services.settings.cookieSecure))
        }
        if call.readFromReplica { response.headers.add("X-Read-Source", "replica") }
        response.user = session?.caller.email
        return response
    }

    /// The permission check and the route's handler; every failure becomes its error page (WEB-26).
    private func run(_ call: inout WebCall) -> HTTPResponse {
        do {
            var response: HTTPResponse
            do {
                if !call.route.namesRecord { try call.authorize() }
                response = try call.route.handler(&call)
            } catch RegistryError.forbidden {
                recordDenial(call)
                throw RegistryError.forbidden
            }
            if !call.authorized && response.status < 400 {
                services.logger.error("page answered without an authorization check", ["route": .string(call.route.name)])
                response = ErrorPages.render(500, message: "internal error (request \(call.request.requestID))", call: call)
            }
            return response
        } catch {
            return ErrorPages.response(for: error, request: call.request, session: call.session, services: services)
        }
    }

    /// WEB-15: the session's token for signed-in users, else the double-submit cookie; and no
    /// foreign `Origin`.
    private func csrfPasses(_ call: WebCall) -> Bool {
        let presented = (try? call.form)?.first("csrf_token")
        let publicBaseURL = services.settings.publicBaseURL
        let sessionToken = call.session?.csrfToken
        if call.route.access == .signedIn {
            return CSRFCheck.passes(presented: presented, expected: sessionToken, request: call.request,
                                    publicBaseURL: publicBaseURL)
        }
        // The anonymous forms (login, forgot, set password) carry the double-submit value. A
        // browser that is signed in also shows the layout's sign-out form, with the session's
        // token, on those pages; that token is as much this browser's secret, so it is accepted
        // too (a signed-in user opening a reset link, or signing in as someone else).
        return CSRFCheck.passes(presented: presented, expected: Cookies.value(Cookies.csrf, in: call.request.headers),
                                request: call.request, publicBaseURL: publicBaseURL)
            || (sessionToken != nil && CSRFCheck.passes(presented: presented, expected: sessionToken,
                                                        request: call.request, publicBaseURL: publicBaseURL))
    }

    /// WEB-6, WEB-10: 303 to `/login?next=…`; an expired session adds the notice and drops the cookie.
    private func toLogin(_ request: HTTPRequest, expired: Bool, clearCookie: Bool = false) -> HTTPResponse {
        var response = WebResponse.redirect(to: LoginRedirect.loginLocation(for: request.head))
        let secure = services.settings.cookieSecure
        if expired || clearCookie { response.headers.add("Set-Cookie", Cookies.clear(Cookies.session, secure: secure)) }
        if expired { response.headers.add("Set-Cookie", Cookies.setNotice("session_expired", secure: secure)) }
        return response
    }

    /// DOM-83: a 403 is recorded as `authz.denied`, at most once a minute per user, address and route.
    private func recordDenial(_ call: WebCall) {
        guard let caller = call.session?.caller else { return }
        var entry = call.audit("authz.denied", status: 403)
        entry.institutionID = caller.institutionID
        AuditLog.appendDenial(entry, caller: caller, remoteAddress: call.request.remoteAddress, routeName: call.route.name,
                              database: services.database)
    }

    private func isHTTPS(_ request: HTTPRequest) -> Bool {
        request.context.scheme == "https" || services.settings.publicBaseURL?.hasPrefix("https:") == true
    }

    /// The HTML page for a path outside the API that no route serves (404), or serves with other
    /// methods (405 with `Allow`), WEB-26. Answered before the body is read, without a database
    /// lookup, so the page has the anonymous navigation.
    public func unroutedResponse(status: Int, request head: RequestHead, allow: String? = nil) -> HTTPResponse {
        var response = ErrorPages.anonymous(status, path: head.path, services: services)
        if let allow { response.headers.set("Allow", allow) }
        WebResponse.addSecurityHeaders(to: &response, https: services.settings.publicBaseURL?.hasPrefix("https:") == true)
        return response
    }
}
