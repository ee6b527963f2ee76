import HTTPServer

/// The outcome of routing one request (api-v2.md API-7, API-8).
public enum RouteMatch<Handler: Sendable>: Sendable {
    /// A route serves this path and method. `template` is the pattern as registered
    /// (e.g. `/api/v2/objects/{obj}`), the metrics and access-log `route` label (OPS-38, OPS-41).
    case matched(Handler, template: String, parameters: RouteParameters)
    /// Some route matches the path, none with this method: answer 405 with `Allow` built from
    /// `allowed` (canonical order GET, HEAD, POST, PUT, PATCH, DELETE; HEAD wherever GET).
    /// `template` is the label of the highest-priority route matching the path.
    case methodNotAllowed(allowed: [HTTPMethod], template: String)
    /// No route matches the path (404, API-8).
    case notFound
}
