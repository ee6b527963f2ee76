import HTTPServer

/// An immutable route table matched on the raw request path (api-v2.md API-1, API-3, API-6,
/// API-7, API-80, API-82). Build it with `RouterBuilder`.
///
/// Matching rules, in order:
/// 1. The raw path is split on `/` (a `%2F` stays inside its segment); one trailing `/` is
///    optional; any other empty segment matches nothing.
/// 2. Routes are tried depth-first; at each segment a literal beats a constrained parameter,
///    which beats a bare parameter. When a branch fails deeper down (no route, or no route with
///    this method), the next branch is tried. The first route that has the method wins; HEAD is
///    served by the GET endpoint unless a HEAD endpoint exists.
/// 3. If routes match the path but none has the method: `methodNotAllowed` with the union of
///    their methods.
/// 4. Only if no ordinary route matches the path at all are `{name...}` wildcard routes tried,
///    in the same priority order (the [Compat] fallback of API-6). A wildcard never causes a
///    405: a path that only a GET wildcard matches is `notFound` for POST (API-80:
///    `POST /member-api/v2/files/7/create_batch` is a 404).
public struct Router<Handler: Sendable>: Sendable {
    private let nodes: [RouteNode<Handler>]

    init(nodes: [RouteNode<Handler>]) {
        self.nodes = nodes
    }

    /// Routes `method` on `rawPath` (the undecoded path, without the query string).
    public func match(_ method: HTTPMethod, rawPath: Substring) -> RouteMatch<Handler> {
        // One array for the segments and one for the captures per request; segments are
        // Substrings of `rawPath`, so nothing is copied per segment.
        guard let segments = RawPath.segments(rawPath) else { return .notFound }
        var captures: [Substring] = []
        captures.reserveCapacity(4)

        if let endpoint = firstEndpoint(node: 0, depth: 0, segments: segments, method: method, captures: &captures) {
            return matched(endpoint, captures)
        }

        var pathMatches: [RouteEndpoint<Handler>] = []
        collectEndpoints(node: 0, depth: 0, segments: segments, into: &pathMatches)
        if let first = pathMatches.first {
            return .methodNotAllowed(allowed: Self.allowedMethods(pathMatches), template: first.template)
        }

        captures.removeAll(keepingCapacity: true)
        let fallback = firstWildcardEndpoint(
            node: 0, depth: 0, rawPath: rawPath, segments: segments, method: method, captures: &captures
        )
        if let fallback { return matched(fallback, captures) }
        return .notFound
    }

    private func matched(_ endpoint: RouteEndpoint<Handler>, _ captures: [Substring]) -> RouteMatch<Handler> {
        let parameters = RouteParameters(names: endpoint.parameterNames, rawValues: captures)
        return .matched(endpoint.handler, template: endpoint.template, parameters: parameters)
    }

    /// Depth-first search for the highest-priority ordinary route with this method.
    /// (Literal segments compare as bytes: see `hasSameBytes(as:)`.)
    private func firstEndpoint(
        node index: Int,
        depth: Int,
        segments: [Substring],
        method: HTTPMethod,
        captures: inout [Substring]
    ) -> RouteEndpoint<Handler>? {
        let node = nodes[index]
        guard depth < segments.count else { return node.endpoints.endpoint(for: method) }
        let segment = segments[depth]
        if let literal = node.literalEdges.first(where: { segment.hasSameBytes(as: $0.text) }),
           let found = firstEndpoint(node: literal.child, depth: depth + 1, segments: segments, method: method, captures: &captures) {
            return found
        }
        for edge in node.parameterEdges where edge.constraint?.accepts(segment) ?? true {
            captures.append(segment)
            if let found = firstEndpoint(node: edge.child, depth: depth + 1, segments: segments, method: method, captures: &captures) {
                return found
            }
            captures.removeLast()
        }
        return nil
    }

    /// Every ordinary endpoint whose pattern matches the path, in priority order (for 405).
    private func collectEndpoints(node index: Int, depth: Int, segments: [Substring], into found: inout [RouteEndpoint<Handler>]) {
        let node = nodes[index]
        guard depth < segments.count else {
            found += node.endpoints
            return
        }
        let segment = segments[depth]
        if let literal = node.literalEdges.first(where: { segment.hasSameBytes(as: $0.text) }) {
            collectEndpoints(node: literal.child, depth: depth + 1, segments: segments, into: &found)
        }
        for edge in node.parameterEdges where edge.constraint?.accepts(segment) ?? true {
            collectEndpoints(node: edge.child, depth: depth + 1, segments: segments, into: &found)
        }
    }

    /// Depth-first search for the highest-priority wildcard route with this method: deeper,
    /// more specific wildcards are reached before the wildcard of a parent node.
    private func firstWildcardEndpoint(
        node index: Int,
        depth: Int,
        rawPath: Substring,
        segments: [Substring],
        method: HTTPMethod,
        captures: inout [Substring]
    ) -> RouteEndpoint<Handler>? {
        guard depth < segments.count else { return nil }  // a wildcard needs at least one segment
        let node = nodes[index]
        let segment = segments[depth]
        if let literal = node.literalEdges.first(where: { segment.hasSameBytes(as: $0.text) }),
           let found = firstWildcardEndpoint(
               node: literal.child, depth: depth + 1, rawPath: rawPath, segments: segments, method: method, captures: &captures
           ) {
            return found
        }
        for edge in node.parameterEdges where edge.constraint?.accepts(segment) ?? true {
            captures.append(segment)
            if let found = firstWildcardEndpoint(
                node: edge.child, depth: depth + 1, rawPath: rawPath, segments: segments, method: method, captures: &captures
            ) {
                return found
            }
            captures.removeLast()
        }
        guard let endpoint = node.wildcardEndpoints.endpoint(for: method) else { return nil }
        // The remainder runs from this segment to the end of the last one, which leaves out
        // the optional trailing `/`.
        captures.append(rawPath[segment.startIndex..<segments[segments.count - 1].endIndex])
        return endpoint
    }

    private static func allowedMethods(_ endpoints: [RouteEndpoint<Handler>]) -> [HTTPMethod] {
        var methods = Set(endpoints.map(\.method))
        if methods.contains(.get) { methods.insert(.head) }
        let canonicalOrder: [HTTPMethod] = [.get, .head, .post, .put, .patch, .delete]
        return canonicalOrder.filter { methods.contains($0) }
    }
}
