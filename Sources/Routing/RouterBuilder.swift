import HTTPServer

/// Collects routes, then `build()`s the immutable `Router`.
///
/// ```swift
/// var routes = RouterBuilder<Handler>()
/// try routes.add([.get], "/api/v2/items/{id}", handler: showItem)
/// try routes.add([.post], "/api/v2/{inst}/trigger_bulk_delete",
///                constraints: ["inst": .containsDot], handler: triggerBulkDelete)
/// let router = routes.build()
/// ```
public struct RouterBuilder<Handler: Sendable> {
    private var nodes: [RouteNode<Handler>] = [RouteNode()]

    public init() {}

    /// Adds one route.
    /// - Parameters:
    ///   - methods: any of GET, HEAD, POST, PUT, PATCH, DELETE; GET also serves HEAD.
    ///   - pattern: `/`-separated segments: literal text, `{name}`, or a last `{name...}` that
    ///     captures the raw remainder (one or more segments). No trailing `/`.
    ///   - constraints: predicates on the raw text of named `{name}` parameters.
    ///   - handler: what `Router.match` returns for this route.
    /// - Throws: a malformed pattern, an unknown constraint name, an unsupported method, or a
    ///   method already routed at the same place in the tree (an ambiguous route table).
    ///   Nothing is added when it throws.
    public mutating func add(
        _ methods: [HTTPMethod],
        _ pattern: String,
        constraints: [String: SegmentConstraint] = [:],
        handler: Handler
    ) throws(RoutePatternError) {
        let parsed = try RoutePattern(pattern)
        try Self.checkMethods(methods, pattern: pattern)
        for name in constraints.keys where !parsed.segments.contains(.parameter(name)) {
            throw RoutePatternError(pattern, "constraint for \(name), which is not a {parameter} of the pattern")
        }

        // Work on a copy so that a throw leaves the builder as it was.
        var updated = nodes
        var current = 0
        var endsWithWildcard = false
        for segment in parsed.segments {
            switch segment {
            case .literal(let text):
                current = Self.literalChild(of: current, text: text, in: &updated)
            case .parameter(let name):
                current = Self.parameterChild(of: current, constraint: constraints[name], in: &updated)
            case .wildcard:
                endsWithWildcard = true
            }
        }

        let existing = endsWithWildcard ? updated[current].wildcardEndpoints : updated[current].endpoints
        for method in methods {
            if let clash = existing.first(where: { $0.method == method }) {
                throw RoutePatternError(pattern, "\(method) is already routed here by \(clash.template)")
            }
        }
        let added = methods.map {
            RouteEndpoint(method: $0, handler: handler, template: pattern, parameterNames: parsed.parameterNames)
        }
        if endsWithWildcard {
            updated[current].wildcardEndpoints += added
        } else {
            updated[current].endpoints += added
        }
        nodes = updated
    }

    /// The finished, immutable router.
    public func build() -> Router<Handler> {
        Router(nodes: nodes)
    }

    private static func checkMethods(_ methods: [HTTPMethod], pattern: String) throws(RoutePatternError) {
        guard !methods.isEmpty else { throw RoutePatternError(pattern, "needs at least one method") }
        guard Set(methods).count == methods.count else { throw RoutePatternError(pattern, "lists a method twice") }
        for method in methods where !method.isImplemented {
            throw RoutePatternError(pattern, "\(method) is not a method the server implements (API-7)")
        }
    }

    private static func literalChild(of parent: Int, text: String, in nodes: inout [RouteNode<Handler>]) -> Int {
        if let edge = nodes[parent].literalEdges.first(where: { $0.text == text }) { return edge.child }
        nodes.append(RouteNode())
        nodes[parent].literalEdges.append(LiteralEdge(text: text, child: nodes.count - 1))
        return nodes.count - 1
    }

    private static func parameterChild(
        of parent: Int,
        constraint: SegmentConstraint?,
        in nodes: inout [RouteNode<Handler>]
    ) -> Int {
        let label = constraint?.label
        if let edge = nodes[parent].parameterEdges.first(where: { $0.constraint?.label == label }) {
            return edge.child
        }
        nodes.append(RouteNode())
        let edge = ParameterEdge(constraint: constraint, child: nodes.count - 1)
        if constraint == nil {
            nodes[parent].parameterEdges.append(edge)
        } else {
            // A constrained parameter is more specific than a bare one, so it is tried first.
            let firstUnconstrained = nodes[parent].parameterEdges.firstIndex { $0.constraint == nil }
            nodes[parent].parameterEdges.insert(edge, at: firstUnconstrained ?? nodes[parent].parameterEdges.endIndex)
        }
        return nodes.count - 1
    }
}
