import HTTPServer

/// One registered method of one route, stored where its pattern ends in the tree.
struct RouteEndpoint<Handler: Sendable>: Sendable {
    let method: HTTPMethod
    let handler: Handler
    let template: String
    let parameterNames: [String]
}

/// A branch for a literal segment.
struct LiteralEdge: Sendable {
    let text: String
    let child: Int
}

/// A branch for a `{parameter}` segment; parameters with equal constraints share one branch
/// whatever their names (names live on the endpoints, so `/objects/{inst}` for POST and
/// `/objects/{obj}` for GET are one path through the tree).
struct ParameterEdge: Sendable {
    let constraint: SegmentConstraint?
    let child: Int
}

/// A node of the route tree. Nodes live in one flat array and refer to each other by index,
/// which keeps the finished tree a plain immutable value.
struct RouteNode<Handler: Sendable>: Sendable {
    /// Tried first; at most one can equal a given segment. A linear scan over a handful of
    /// short strings compares Substring to String in place, with no hashing or allocation.
    var literalEdges: [LiteralEdge] = []
    /// Tried after literals, constrained ones before unconstrained (each group in the order added).
    var parameterEdges: [ParameterEdge] = []
    /// Routes whose pattern ends at this node.
    var endpoints: [RouteEndpoint<Handler>] = []
    /// Routes whose pattern ends with a `{name...}` wildcard right after this node.
    var wildcardEndpoints: [RouteEndpoint<Handler>] = []
}

extension Array {
    /// The endpoint registered for `method`; a HEAD request falls back to the GET endpoint
    /// when no HEAD endpoint was registered (API-7).
    func endpoint<Handler>(for method: HTTPMethod) -> RouteEndpoint<Handler>? where Element == RouteEndpoint<Handler> {
        if let exact = first(where: { $0.method == method }) { return exact }
        if method == .head { return first { $0.method == .get } }
        return nil
    }
}
