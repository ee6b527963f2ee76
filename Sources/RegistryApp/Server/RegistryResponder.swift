import HTTPServer
import RegistryAPI
import RegistryWeb
import Routing

/// The registry's `HTTPResponder`: one router for the API, the HTML view and the operational
/// endpoints; unknown paths and methods answered per api-v2.md API-7/API-8, and outside the API
/// with the HTML view's error pages (html.md WEB-26).
final class RegistryResponder: HTTPResponder {
    private let router: Router<Endpoint>
    private let web: WebPipeline?

    init(router: Router<Endpoint>, web: WebPipeline? = nil) {
        self.router = router
        self.web = web
    }

    func plan(_ head: RequestHead) -> RequestPlan {
        switch router.match(head.method, rawPath: head.path) {
        case .matched(let endpoint, let template, let parameters):
            guard let onLoop = endpoint.onLoop else {
                return .accept(bodyLimit: endpoint.bodyLimit, inline: endpoint.inline)
            }
            return .accept(bodyLimit: endpoint.bodyLimit, inline: false, onLoop: LoopHandler { request, loop, complete in
                onLoop(RoutedRequest(http: request, parameters: parameters, template: template), loop, complete)
            })
        case .methodNotAllowed(let allowed, let template):
            return .reject(unroutedMethod(head, allowed: allowed, template: template))
        case .notFound:
            return .reject(unroutedPath(head))
        }
    }

    func preflight(_ head: RequestHead, context: RequestContext) -> HTTPResponse? {
        guard case .matched(let endpoint, _, _) = router.match(head.method, rawPath: head.path) else { return nil }
        return endpoint.preflight?(head, context)
    }

    func respond(to request: HTTPRequest) -> HTTPResponse {
        switch router.match(request.method, rawPath: request.head.path) {
        case .matched(let endpoint, let template, let parameters):
            var response = endpoint.handle(RoutedRequest(http: request, parameters: parameters, template: template))
            if response.routeLabel == HTTPResponse.unmatchedRoute { response.routeLabel = template }
            return response
        case .methodNotAllowed(let allowed, let template):
            return unroutedMethod(request.head, allowed: allowed, template: template)
        case .notFound:
            return unroutedPath(request.head)
        }
    }

    func routeLabel(for head: RequestHead) -> String {
        guard case .matched(_, let template, let parameters) = router.match(head.method, rawPath: head.path) else {
            return HTTPResponse.unmatchedRoute
        }
        return RouteLabel.of(template: template, parameters: parameters)
    }

    /// 404: the API's JSON body under the API prefixes (API-8), else the HTML page (WEB-26).
    private func unroutedPath(_ head: RequestHead) -> HTTPResponse {
        guard let web, !APIResponse.isAPIPath(head.path) else { return notFound(head) }
        return web.unroutedResponse(status: 404, request: head)
    }

    /// 405 with `Allow` (API-7); outside the API as an HTML page (WEB-7: `GET /logout`, WEB-26).
    private func unroutedMethod(_ head: RequestHead, allowed: [HTTPMethod], template: String) -> HTTPResponse {
        guard let web, !APIResponse.isAPIPath(head.path) else {
            return methodNotAllowed(head, allowed: allowed, template: template)
        }
        var response = web.unroutedResponse(status: 405, request: head,
                                            allow: allowed.map(\.description).joined(separator: ", "))
        response.routeLabel = template
        return response
    }

    func errorResponse(status: Int, message: String, requestPath: Substring?) -> HTTPResponse {
        var response: HTTPResponse
        if let requestPath, APIResponse.isAPIPath(requestPath) {
            response = APIResponse.error(status, message)
        } else {
            response = .text(status, message + "\n")
        }
        if status == 503 { response.headers.set("Retry-After", "5") }
        return response
    }

    /// API-8: `no such route: <METHOD> <decoded path>`; a path that cannot be decoded is a 400
    /// (API-2 applies to the whole path).
    private func notFound(_ head: RequestHead) -> HTTPResponse {
        guard APIResponse.isAPIPath(head.path) else { return .text(404, "not found\n") }
        do {
            return APIResponse.error(404, "no such route: \(head.method) \(try PercentDecoding.decode(head.path))")
        } catch {
            return APIResponse.error(400, error.message)
        }
    }

    /// API-7: 405 with `Allow` listing the route's methods.
    private func methodNotAllowed(_ head: RequestHead, allowed: [HTTPMethod], template: String) -> HTTPResponse {
        let allow = allowed.map(\.description).joined(separator: ", ")
        var response: HTTPResponse
        if APIResponse.isAPIPath(head.path) {
            response = APIResponse.error(405, "method \(head.method) is not allowed here; allowed: \(allow)")
        } else {
            response = .text(405, "method not allowed\n")
        }
        response.headers.set("Allow", allow)
        response.routeLabel = template
        return response
    }
}
