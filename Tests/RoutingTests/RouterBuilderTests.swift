import HTTPServer
import Routing
import Testing

@Suite("Router builder")
struct RouterBuilderTests {
    struct BadPattern: Sendable, CustomTestStringConvertible {
        let pattern: String
        let problem: String
        var testDescription: String { pattern }
    }

    static let badPatterns: [BadPattern] = [
        BadPattern(pattern: "api/v2/items", problem: "must start with /"),
        BadPattern(pattern: "", problem: "must start with /"),
        BadPattern(pattern: "/api/v2/items/", problem: "must not end with / (the trailing slash is always optional, API-3)"),
        BadPattern(pattern: "/api//items", problem: "has an empty segment"),
        BadPattern(pattern: "/files/{rest...}/fixity", problem: "a {name...} wildcard must be the last segment"),
        BadPattern(pattern: "/files/x{id}", problem: "a parameter must be a whole segment: {name} or {name...}"),
        BadPattern(pattern: "/files/{a}{b}", problem: "parameter names use only A-Z a-z 0-9 _"),
        BadPattern(pattern: "/files/{}", problem: "a parameter must be a whole segment: {name} or {name...}"),
        BadPattern(pattern: "/files/{...}", problem: "parameter names use only A-Z a-z 0-9 _"),
        BadPattern(pattern: "/files/{na-me}", problem: "parameter names use only A-Z a-z 0-9 _"),
        BadPattern(pattern: "/a/{id}/b/{id}", problem: "repeats a parameter name"),
    ]

    @Test("malformed patterns are refused with the reason", arguments: badPatterns)
    func malformedPattern(_ row: BadPattern) {
        var routes = RouterBuilder<String>()
        #expect(throws: RoutePatternError(row.pattern, row.problem)) {
            try routes.add([.get], row.pattern, handler: "x")
        }
    }

    @Test("a method routed twice at one place in the tree is an ambiguity")
    func duplicateMethod() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/api/v2/objects/{obj}", handler: "show")
        #expect(throws: RoutePatternError("/api/v2/objects/{inst}", "GET is already routed here by /api/v2/objects/{obj}")) {
            try routes.add([.get], "/api/v2/objects/{inst}", handler: "list")
        }
        // Another method on the same branch is fine.
        try routes.add([.post], "/api/v2/objects/{inst}", handler: "create")
    }

    @Test("method lists must be non-empty, without repeats, and of the six implemented methods")
    func methodChecks() {
        var routes = RouterBuilder<String>()
        #expect(throws: RoutePatternError("/a", "needs at least one method")) {
            try routes.add([], "/a", handler: "x")
        }
        #expect(throws: RoutePatternError("/a", "lists a method twice")) {
            try routes.add([.get, .get], "/a", handler: "x")
        }
        #expect(throws: RoutePatternError("/a", "OPTIONS is not a method the server implements (API-7)")) {
            try routes.add([.other("OPTIONS")], "/a", handler: "x")
        }
    }

    @Test("a constraint must name a {parameter} of the pattern")
    func constraintForUnknownParameter() {
        var routes = RouterBuilder<String>()
        #expect(throws: RoutePatternError("/api/{inst}/x", "constraint for institution, which is not a {parameter} of the pattern")) {
            try routes.add([.post], "/api/{inst}/x", constraints: ["institution": .containsDot], handler: "x")
        }
        #expect(throws: RoutePatternError("/files/{rest...}", "constraint for rest, which is not a {parameter} of the pattern")) {
            try routes.add([.get], "/files/{rest...}", constraints: ["rest": .containsDot], handler: "x")
        }
    }

    @Test("a refused route leaves the builder unchanged")
    func refusedRouteAddsNothing() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/a/b", handler: "ab")
        #expect(throws: RoutePatternError.self) {
            try routes.add([.put, .get], "/a/b", handler: "clash")
        }
        let router = routes.build()
        #expect(route(.put, "/a/b", in: router) == .notAllowed(["GET", "HEAD"], template: "/a/b"))
    }

    @Test("constrained and bare parameters at one position are separate branches, constrained first")
    func constrainedBeforeBare() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/x/{any}", handler: "bare")
        try routes.add([.get], "/x/{dotted}", constraints: ["dotted": .containsDot], handler: "dotted")
        try routes.add([.get], "/x/{digits}", constraints: ["digits": SegmentConstraint("digits") { $0.allSatisfy(\.isNumber) }], handler: "digits")
        let router = routes.build()
        #expect(route(.get, "/x/a.b", in: router) == .matched("dotted", template: "/x/{dotted}", raw: ["dotted": "a.b"]))
        #expect(route(.get, "/x/42", in: router) == .matched("digits", template: "/x/{digits}", raw: ["digits": "42"]))
        #expect(route(.get, "/x/plain", in: router) == .matched("bare", template: "/x/{any}", raw: ["any": "plain"]))
    }

    @Test("the builder can be built more than once; routers are independent values")
    func buildTwice() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/one", handler: "one")
        let first = routes.build()
        try routes.add([.get], "/two", handler: "two")
        let second = routes.build()
        #expect(route(.get, "/two", in: first) == .notFound)
        #expect(route(.get, "/two", in: second) == .matched("two", template: "/two", raw: [:]))
    }
}
