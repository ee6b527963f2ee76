/// A route pattern as written, e.g. `/api/v2/objects/{obj}/restore` or `/api/v2/files/{rest...}`.
///
/// Each segment is either literal text, a whole-segment `{name}` parameter, or, as the last
/// segment only, a `{name...}` wildcard that captures one or more remaining raw segments.
struct RoutePattern {
    enum Segment: Equatable {
        case literal(String)
        case parameter(String)
        case wildcard(String)
    }

    let template: String
    let segments: [Segment]

    var parameterNames: [String] {
        segments.compactMap { segment in
            switch segment {
            case .literal: nil
            case .parameter(let name), .wildcard(let name): name
            }
        }
    }

    init(_ template: String) throws(RoutePatternError) {
        guard template.first == "/" else { throw .init(template, "must start with /") }
        self.template = template
        if template == "/" {
            segments = []
            return
        }
        guard template.last != "/" else {
            throw .init(template, "must not end with / (the trailing slash is always optional, API-3)")
        }
        let texts = template.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        var parsed: [Segment] = []
        for (position, text) in texts.enumerated() {
            let segment = try Self.parseSegment(text, in: template)
            if case .wildcard = segment, position != texts.count - 1 {
                throw .init(template, "a {name...} wildcard must be the last segment")
            }
            parsed.append(segment)
        }
        segments = parsed
        guard Set(parameterNames).count == parameterNames.count else {
            throw .init(template, "repeats a parameter name")
        }
    }

    private static func parseSegment(_ text: Substring, in template: String) throws(RoutePatternError) -> Segment {
        guard !text.isEmpty else { throw .init(template, "has an empty segment") }
        let hasBraces = text.contains("{") || text.contains("}")
        guard hasBraces else { return .literal(String(text)) }
        guard text.first == "{", text.last == "}", text.count > 2 else {
            throw .init(template, "a parameter must be a whole segment: {name} or {name...}")
        }
        var name = text.dropFirst().dropLast()
        let isWildcard = name.hasSuffix("...")
        if isWildcard { name = name.dropLast(3) }
        let validName = !name.isEmpty && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
        guard validName else { throw .init(template, "parameter names use only A-Z a-z 0-9 _") }
        return isWildcard ? .wildcard(String(name)) : .parameter(String(name))
    }
}

/// A route that cannot be added: a malformed pattern, or a clash with a route added earlier.
public struct RoutePatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public let template: String
    public let problem: String

    public init(_ template: String, _ problem: String) {
        self.template = template
        self.problem = problem
    }

    public var description: String { "route \(template): \(problem)" }
}
