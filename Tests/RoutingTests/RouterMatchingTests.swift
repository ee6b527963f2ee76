import HTTPServer
import Routing
import Testing

/// One row of a matching table: a request and the outcome it must route to.
struct MatchCase: Sendable, CustomTestStringConvertible {
    let method: HTTPMethod
    let path: String
    let expected: Outcome
    let why: String

    init(_ method: HTTPMethod, _ path: String, _ expected: Outcome, _ why: String) {
        self.method = method
        self.path = path
        self.expected = expected
        self.why = why
    }

    var testDescription: String { "\(method) \(path) — \(why)" }
}

@Suite("Router matching")
struct RouterMatchingTests {
    static let literalOverParameter: [MatchCase] = [
        MatchCase(.get, "/api/v2/events/export", .matched("events.export", template: "/api/v2/events/export", raw: [:]),
                  "API-82: literal export beats {event}"),
        MatchCase(.get, "/api/v2/events/3f2a", .matched("events.show", template: "/api/v2/events/{event}", raw: ["event": "3f2a"]),
                  "a non-literal segment takes the parameter"),
        MatchCase(.get, "/api/v2/alerts/summary", .matched("alerts.summary", template: "/api/v2/alerts/summary", raw: [:]),
                  "API-82: literal summary"),
        MatchCase(.put, "/api/v2/files/restore/test.edu%2Fbag%2Fa.txt",
                  .matched("files.restore", template: "/api/v2/files/restore/{file}", raw: ["file": "test.edu%2Fbag%2Fa.txt"]),
                  "API-82: literal restore beats {file}"),
        MatchCase(.get, "/api/v2/files/restore",
                  .matched("files.show", template: "/api/v2/files/{file}", raw: ["file": "restore"]),
                  "the literal branch has no route of this length, so the parameter takes it"),
        MatchCase(.get, "/api/v2/events/export/proof",
                  .matched("events.proof", template: "/api/v2/events/{uuid}/proof", raw: ["uuid": "export"]),
                  "backtracking: literal export fails one level deeper, {uuid} then matches"),
        MatchCase(.get, "/api/v2/files/restore/fixity",
                  .matched("files.fixity", template: "/api/v2/files/{file}/fixity", raw: ["file": "restore"]),
                  "backtracking: restore/{file} exists only for PUT, so GET continues with {file}/fixity"),
        MatchCase(.post, "/api/v2/files/finish_delete/create_batch",
                  .matched("files.finish_delete", template: "/api/v2/files/finish_delete/{file}", raw: ["file": "create_batch"]),
                  "literal finish_delete has POST, so it wins over {obj}/create_batch"),
        MatchCase(.post, "/api/v2/files/confirm_delete/create_batch",
                  .matched("files.create_batch", template: "/api/v2/files/{obj}/create_batch", raw: ["obj": "confirm_delete"]),
                  "confirm_delete/{file} lacks POST, so the parameter branch serves it"),
        MatchCase(.get, "/api/v2/notifications/7/attachment",
                  .matched("notifications.attachment", template: "/api/v2/notifications/{id}/attachment", raw: ["id": "7"]),
                  "literal after a parameter"),
    ]

    @Test("literal beats parameter, with backtracking (API-82)", arguments: literalOverParameter)
    func literalBeatsParameter(_ row: MatchCase) {
        #expect(route(row.method, row.path) == row.expected)
    }

    static let rawPathRules: [MatchCase] = [
        MatchCase(.put, "/api/v2/objects/test.edu%2Fbag1/restore",
                  .matched("objects.restore", template: "/api/v2/objects/{obj}/restore", raw: ["obj": "test.edu%2Fbag1"]),
                  "API-1: %2F is part of the segment"),
        MatchCase(.get, "/api/v2/files/test.edu%2fmy%20bag%2Fdata%2Fa%26b%3F.txt",
                  .matched("files.show", template: "/api/v2/files/{file}", raw: ["file": "test.edu%2fmy%20bag%2Fdata%2Fa%26b%3F.txt"]),
                  "API-1: the workers' escaping stays raw in one segment"),
        MatchCase(.get, "/api/v2/items", .matched("items.list", template: "/api/v2/items", raw: [:]), "no trailing slash"),
        MatchCase(.get, "/api/v2/items/", .matched("items.list", template: "/api/v2/items", raw: [:]), "API-3: trailing slash optional"),
        MatchCase(.get, "/api/v2/items/7/", .matched("items.show", template: "/api/v2/items/{id}", raw: ["id": "7"]),
                  "API-3: trailing slash after a parameter"),
        MatchCase(.get, "/api/v2/items//", .notFound, "API-3: only one trailing slash is optional"),
        MatchCase(.get, "/api/v2//items", .notFound, "API-3: // is a 404"),
        MatchCase(.get, "//api/v2/items", .notFound, "API-3: // at the start is a 404"),
        MatchCase(.get, "/api/v2/items//7", .notFound, "API-3: empty segment before a parameter"),
        MatchCase(.get, "api/v2/items", .notFound, "a path must start with /"),
        MatchCase(.get, "", .notFound, "empty path"),
        MatchCase(.get, "/", .matched("home", template: "/", raw: [:]), "the root route"),
        MatchCase(.get, "//", .notFound, "// is not the root"),
        MatchCase(.get, "/api/v2/Items", .notFound, "literals are case-sensitive"),
        MatchCase(.get, "/api/v2/items%2F7", .notFound, "an encoded slash is not a separator"),
        MatchCase(.get, "/api/v2/no%20such", .notFound, "API-8: unknown path"),
    ]

    @Test("raw path: %2F, trailing slash, empty segments (API-1, API-3)", arguments: rawPathRules)
    func rawPath(_ row: MatchCase) {
        #expect(route(row.method, row.path) == row.expected)
    }

    static let methodRules: [MatchCase] = [
        MatchCase(.head, "/api/v2/items", .matched("items.list", template: "/api/v2/items", raw: [:]), "API-7: HEAD served by GET"),
        MatchCase(.head, "/api/v2/files/test.edu%2Fb%2Fx",
                  .matched("files.show", template: "/api/v2/files/{file}", raw: ["file": "test.edu%2Fb%2Fx"]), "API-7: HEAD with parameters"),
        MatchCase(.post, "/api/v2/items/7", .notAllowed(["GET", "HEAD", "PUT", "PATCH"], template: "/api/v2/items/{id}"),
                  "API-7: 405 lists every method at the path, HEAD with GET"),
        MatchCase(.delete, "/api/v2/events/export", .notAllowed(["GET", "HEAD"], template: "/api/v2/events/export"),
                  "405 unions the literal and the parameter route at the path"),
        MatchCase(.head, "/api/v2/objects/test.edu%2Fb/restore", .notAllowed(["PUT"], template: "/api/v2/objects/{obj}/restore"),
                  "no GET, so no HEAD either"),
        MatchCase(.get, "/api/v2/objects/test.edu/delete", .notAllowed(["DELETE"], template: "/api/v2/objects/{obj}/delete"),
                  "API-6: the GET fallback is not used when an ordinary route matches the path"),
        MatchCase(.delete, "/api/v2/objects/test.edu",
                  .matched("objects.delete", template: "/api/v2/objects/{obj}", raw: ["obj": "test.edu"]), "DELETE on the shared branch"),
        MatchCase(.post, "/api/v2/objects/test.edu",
                  .matched("objects.create", template: "/api/v2/objects/{inst}", raw: ["inst": "test.edu"]),
                  "the POST route on the shared branch names its parameter inst"),
        MatchCase(.post, "/member-api/v2/objects/test.edu", .notAllowed(["GET", "HEAD"], template: "/member-api/v2/objects/{obj}"),
                  "API-80 example: POST on a member GET route is 405 with Allow: GET, HEAD"),
        MatchCase(.post, "/member-api/v2/files/7/create_batch", .notFound,
                  "API-80 example: only the GET wildcard matches, so POST is a 404, not a 405"),
        MatchCase(.put, "/member-api/v2/objects/test.edu%2Fb/restore",
                  .matched("member.objects.restore", template: "/member-api/v2/objects/{obj}/restore", raw: ["obj": "test.edu%2Fb"]),
                  "API-80: PUT restore exists under the member prefix"),
        MatchCase(.other("BREW"), "/api/v2/items", .notAllowed(["GET", "HEAD", "POST"], template: "/api/v2/items"),
                  "an unimplemented token never matches (the server answers 501 before routing)"),
    ]

    @Test("methods: HEAD→GET, 405 allowed lists (API-7, API-80)", arguments: methodRules)
    func methods(_ row: MatchCase) {
        #expect(route(row.method, row.path) == row.expected)
    }

    static let constraintRules: [MatchCase] = [
        MatchCase(.post, "/api/v2/test.edu/trigger_bulk_delete",
                  .matched("bulk.trigger", template: "/api/v2/{inst}/trigger_bulk_delete", raw: ["inst": "test.edu"]),
                  "API-82: {inst} with a dot"),
        MatchCase(.post, "/api/v2/test.edu/confirm_bulk_delete_institution",
                  .matched("bulk.confirm_institution", template: "/api/v2/{inst}/confirm_bulk_delete_institution", raw: ["inst": "test.edu"]),
                  "routes with the same constraint share the branch"),
        MatchCase(.post, "/api/v2/testedu/trigger_bulk_delete", .notFound, "API-82: no dot, no match"),
        MatchCase(.post, "/api/v2/items/trigger_bulk_delete",
                  .notAllowed(["GET", "HEAD", "PUT", "PATCH"], template: "/api/v2/items/{id}"),
                  "items has no dot; the path matches items/{id} only"),
        MatchCase(.get, "/api/v2/test.edu/trigger_bulk_delete", .notAllowed(["POST"], template: "/api/v2/{inst}/trigger_bulk_delete"),
                  "constrained route answers 405 for other methods"),
    ]

    @Test("parameter constraint: {inst} needs a dot (API-82)", arguments: constraintRules)
    func constraints(_ row: MatchCase) {
        #expect(route(row.method, row.path) == row.expected)
    }

    static let wildcardRules: [MatchCase] = [
        MatchCase(.get, "/api/v2/files/test.edu/bag1/data/a.txt",
                  .matched("files.fallback", template: "/api/v2/files/{rest...}", raw: ["rest": "test.edu/bag1/data/a.txt"]),
                  "API-6 example: unencoded file identifier"),
        MatchCase(.get, "/api/v2/files/test.edu/bag1/data/fixity",
                  .matched("files.fallback", template: "/api/v2/files/{rest...}", raw: ["rest": "test.edu/bag1/data/fixity"]),
                  "API-6 example: a file named fixity"),
        MatchCase(.head, "/api/v2/files/test.edu/bag1/data/a.txt/",
                  .matched("files.fallback", template: "/api/v2/files/{rest...}", raw: ["rest": "test.edu/bag1/data/a.txt"]),
                  "HEAD too; the remainder leaves out the trailing slash"),
        MatchCase(.get, "/api/v2/files/test.edu%2Fbag1%2Fdata%2Fa.txt/fixity",
                  .matched("files.fixity", template: "/api/v2/files/{file}/fixity", raw: ["file": "test.edu%2Fbag1%2Fdata%2Fa.txt"]),
                  "API-6: action routes need the encoded form"),
        MatchCase(.get, "/api/v2/files/test.edu",
                  .matched("files.show", template: "/api/v2/files/{file}", raw: ["file": "test.edu"]),
                  "an ordinary route wins over the wildcard"),
        MatchCase(.get, "/api/v2/files/test.edu/bag1",
                  .matched("files.fallback", template: "/api/v2/files/{rest...}", raw: ["rest": "test.edu/bag1"]),
                  "two segments and no two-segment GET route: fallback"),
        MatchCase(.get, "/api/v2/objects/test.edu/bag1",
                  .matched("objects.fallback", template: "/api/v2/objects/{rest...}", raw: ["rest": "test.edu/bag1"]),
                  "API-6 for objects"),
        MatchCase(.get, "/api/v2/files/a//b", .notFound, "an empty segment is a 404 even for the wildcard"),
        MatchCase(.delete, "/api/v2/files/test.edu/bag1/data/a.txt", .notFound, "the fallback is GET/HEAD only and never a 405"),
        MatchCase(.get, "/member-api/v2/files/7/create_batch",
                  .matched("member.files.fallback", template: "/member-api/v2/files/{rest...}", raw: ["rest": "7/create_batch"]),
                  "member fallback"),
    ]

    @Test("trailing wildcard is a fallback only (API-6)", arguments: wildcardRules)
    func wildcard(_ row: MatchCase) {
        #expect(route(row.method, row.path) == row.expected)
    }

    @Test("segments split and compare as bytes, not Characters (API-1)")
    func byteLevelMatching() throws {
        // "/" followed by U+0301 is a single Character, but still a separator.
        #expect(route(.get, "/api/v2/items/\u{301}")
                == .matched("items.show", template: "/api/v2/items/{id}", raw: ["id": "\u{301}"]))
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/K", handler: "kelvin")
        let router = routes.build()
        #expect(route(.get, "/K", in: router) == .matched("kelvin", template: "/K", raw: [:]))
        // U+212A KELVIN SIGN is canonically equivalent to "K" for String ==, but not the same bytes.
        #expect(route(.get, "/\u{212A}", in: router) == .notFound)
    }

    @Test("a registered HEAD route wins over GET for HEAD (API-7)")
    func explicitHead() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/export", handler: "get")
        try routes.add([.head], "/export", handler: "head")
        let router = routes.build()
        #expect(route(.head, "/export", in: router) == .matched("head", template: "/export", raw: [:]))
        #expect(route(.get, "/export", in: router) == .matched("get", template: "/export", raw: [:]))
        #expect(route(.post, "/export", in: router) == .notAllowed(["GET", "HEAD"], template: "/export"))
    }

    @Test("a HEAD-only route allows HEAD but not GET")
    func headOnly() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.head], "/probe", handler: "probe")
        let router = routes.build()
        #expect(route(.get, "/probe", in: router) == .notAllowed(["HEAD"], template: "/probe"))
    }

    @Test("the deeper, more specific wildcard wins over a parent's wildcard")
    func deeperWildcardWins() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/api/{rest...}", handler: "api.any")
        try routes.add([.get], "/api/files/{rest...}", handler: "files.any")
        try routes.add([.post], "/api/files/{rest...}", handler: "files.post")
        let router = routes.build()
        #expect(route(.get, "/api/files/a/b", in: router) == .matched("files.any", template: "/api/files/{rest...}", raw: ["rest": "a/b"]))
        #expect(route(.get, "/api/other/a", in: router) == .matched("api.any", template: "/api/{rest...}", raw: ["rest": "other/a"]))
        #expect(route(.get, "/api/files", in: router) == .matched("api.any", template: "/api/{rest...}", raw: ["rest": "files"]),
                "a wildcard needs at least one segment, so /api/files is the parent's remainder")
        #expect(route(.post, "/api/files/x", in: router) == .matched("files.post", template: "/api/files/{rest...}", raw: ["rest": "x"]))
        #expect(route(.delete, "/api/files/x", in: router) == .notFound)
    }

    @Test("parameters before a wildcard are captured in order")
    func parametersBeforeWildcard() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/blobs/{bucket}/{key...}", handler: "blob")
        let router = routes.build()
        #expect(route(.get, "/blobs/b1/x%2Fy/z/", in: router) == .matched("blob", template: "/blobs/{bucket}/{key...}", raw: ["bucket": "b1", "key": "x%2Fy/z"]))
    }

    @Test("backtracking drops captures of a failed parameter branch")
    func backtrackingCaptures() throws {
        var routes = RouterBuilder<String>()
        try routes.add([.get], "/a/{x}/{y}/end", handler: "first")
        try routes.add([.get], "/a/{x}/lit/{z}", handler: "second")
        try routes.add([.get], "/a/{p}/{q}/{r}/more", constraints: ["p": .containsDot], handler: "third")
        let router = routes.build()
        #expect(route(.get, "/a/1/lit/9", in: router) == .matched("second", template: "/a/{x}/lit/{z}", raw: ["x": "1", "z": "9"]))
        #expect(route(.get, "/a/1/2/end", in: router) == .matched("first", template: "/a/{x}/{y}/end", raw: ["x": "1", "y": "2"]))
        #expect(route(.get, "/a/1.2/lit/9/more", in: router)
                == .matched("third", template: "/a/{p}/{q}/{r}/more", raw: ["p": "1.2", "q": "lit", "r": "9"]))
        #expect(route(.get, "/a/1.2/lit/9", in: router) == .matched("second", template: "/a/{x}/lit/{z}", raw: ["x": "1.2", "z": "9"]),
                "the constrained branch captures three segments, fails, and must leave none behind")
        #expect(route(.get, "/a/12/lit/9/more", in: router) == .notFound)
    }

    @Test("the router is Sendable and matches concurrently")
    func concurrentMatching() async {
        let router = SampleRoutes.router
        let results = await withTaskGroup(of: Bool.self, returning: [Bool].self) { group in
            for index in 0..<64 {
                group.addTask {
                    let expected = Outcome.matched("items.show", template: "/api/v2/items/{id}", raw: ["id": "\(index)"])
                    return Outcome(router.match(.get, rawPath: "/api/v2/items/\(index)"[...])) == expected
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 64)
        #expect(results.allSatisfy { $0 })
    }
}
