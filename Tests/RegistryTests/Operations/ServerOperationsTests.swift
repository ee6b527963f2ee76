import Foundation
import Testing
import TestSupport

/// The real `registry serve` process: routing at the edges, readiness, shutdown (operations.md).
@Suite("registry serve: routing edges, health, shutdown")
struct ServerOperationsTests {
    @Test("OPS-35/36: /health and /ready")
    func healthAndReady() throws {
        let registry = try TestRegistry.start()
        let client = try registry.client()
        let health = try client.request(method: "GET", path: "/health")
        #expect(health.status == 200)
        #expect(health.text == #"{"status":"ok"}"#)
        let ready = try client.request(method: "GET", path: "/ready")
        #expect(ready.status == 200)
        #expect(ready.text == #"{"status":"ready","database":"ok","migrations":"current","shutting_down":false}"#)
        // OPS-51: MAX_BODY_BYTES holds here too; a small body is read and ignored, and the
        // connection stays usable.
        #expect(try client.request(method: "GET", path: "/health", body: "{}").status == 200)
        #expect(try client.request(method: "GET", path: "/ready").status == 200)
    }

    @Test("OPS-51 before routing (DOM-96b): a body announced over MAX_BODY_BYTES is a 413 on an unknown path or method too")
    func bodyLimitBeforeRouting() throws {
        let registry = try TestRegistry.start(environment: ["MAX_BODY_BYTES": "1024"])
        for (method, path) in [("POST", "/api/v2/nosuch"), ("POST", "/api/v2/institutions"), ("POST", "/nosuch")] {
            let client = try registry.client()
            try client.send("\(method) \(path) HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                            + "Content-Length: 1025\r\nExpect: 100-continue\r\n\r\n")
            let response = try client.readResponse()
            #expect(response.status == 413, "\(method) \(path)")
            #expect(response.headers.values("Connection") == ["close"])
        }
        // At the limit, the unknown path keeps its own answer.
        let client = try registry.client()
        let missing = try client.request(method: "POST", path: "/api/v2/nosuch", headers: [("Content-Type", "application/json")],
                                         body: Array(repeating: UInt8(ascii: " "), count: 1024))
        #expect(missing.status == 404)
    }

    @Test("API-7: 405 with Allow for a known path; API-8: 404 JSON naming the decoded path")
    func routingEdges() throws {
        let registry = try TestRegistry.start()
        let client = try registry.client()
        let notAllowed = try client.request(method: "POST", path: "/health")
        #expect(notAllowed.status == 405)
        #expect(notAllowed.headers.values("Allow") == ["GET, HEAD"])
        let missing = try client.request(method: "GET", path: "/api/v2/no%20such?x=1")
        #expect(missing.status == 404)
        #expect(missing.text == #"{"status":"error","message":"no such route: GET /api/v2/no such"}"#)
        // API-2 applies to the path of API-8's message: one that cannot be decoded is a 400.
        for (path, reason) in [("/api/v2/no%FFsuch", "not valid UTF-8 after percent-decoding"),
                               ("/member-api/v2/x%00", "contains U+0000"), ("/api/v2/bad%zz", "malformed percent-escape")] {
            let undecodable = try client.request(method: "GET", path: path)
            #expect(undecodable.status == 400, "\(path)")
            #expect(undecodable.text == #"{"status":"error","message":"bad path encoding: \#(reason)"}"#, "\(path)")
        }
        let member = try client.request(method: "POST", path: "/member-api/v2/institutions")
        #expect(member.status == 405)
        #expect(member.headers.values("Allow") == ["GET, HEAD"])
    }

    @Test("API-5, API-7: the kind of {x} picks the route of /objects/{x}, /files/{x}, /events/{x}; a method that kind has no route for is a 405 with that route's Allow")
    func routesByIdentifierKind() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let client = try registry.client()
        func send(_ method: String, _ path: String) throws -> TestHTTPResponse {
            try client.request(method: method, path: path, headers: admin.headers + [("Content-Type", "application/json")],
                               body: method == "GET" || method == "DELETE" ? nil : Array("{}".utf8))
        }
        let object = "test.edu%2Fbag", file = "test.edu%2Fbag%2Fdata%2Fa.txt"
        let refused: [(String, String, String)] = [
            ("POST", "/api/v2/objects/\(object)", "GET, HEAD, PUT, PATCH, DELETE"),   // #4, #6, #8
            ("PUT", "/api/v2/objects/test.edu", "GET, HEAD, POST"),                     // #3, #5
            ("DELETE", "/api/v2/objects/test.edu", "GET, HEAD, POST"),
            ("PUT", "/api/v2/files/\(object)", "GET, HEAD, POST"),                      // #12, #14
            ("DELETE", "/api/v2/files/test.edu", "GET, HEAD"),                          // #12
            ("POST", "/api/v2/files/\(file)", "GET, HEAD, PUT, PATCH, DELETE"),         // #13, #16, #18
            ("PUT", "/api/v2/events/test.edu", "GET, HEAD"),                            // #25
            ("POST", "/member-api/v2/objects/test.edu", "GET, HEAD"),                   // API-80's example
            ("POST", "/member-api/v2/files/\(file)", "GET, HEAD"),
            ("GET", "/api/v2/checksums/\(file)", "POST"),                               // #24 (#23 takes an id)
        ]
        for (method, path, allow) in refused {
            let response = try send(method, path)
            #expect(response.status == 405, "\(method) \(path)")
            #expect(response.headers.values("Allow") == [allow], "\(method) \(path)")
        }
        // A kind no route of the path serves is API-5's 404, whatever the method.
        for (method, path) in [("GET", "/api/v2/checksums/test.edu"), ("POST", "/api/v2/checksums/\(object)"),
                               ("POST", "/api/v2/objects/\(file)"), ("PUT", "/api/v2/objects/nodot"), ("PUT", "/api/v2/events/nodot"),
                               ("POST", "/api/v2/files/nodot"), ("GET", "/api/v2/objects/nodot"), ("GET", "/api/v2/objects/\(file)")] {
            #expect(try send(method, path).status == 404, "\(method) \(path)")
        }
        // The routes of the right kind answer as before; a segment that cannot be decoded is API-2's 400.
        #expect(try send("GET", "/api/v2/objects/test.edu").status == 200)
        #expect(try send("GET", "/api/v2/files/test.edu").status == 200)
        #expect(try send("GET", "/api/v2/objects/\(object)").status == 404)
        #expect(try send("PUT", "/api/v2/objects/\(object)").status == 404)
        #expect(try send("POST", "/api/v2/objects/bad%zz").status == 400)
        #expect(try send("PUT", "/api/v2/files/bad%zz").status == 400)
    }

    @Test("OPS-52/58: a head that stops after the request line is a 408, JSON under /api/, text elsewhere")
    func headerTimeoutShape() throws {
        let registry = try TestRegistry.start(environment: ["HEADER_READ_TIMEOUT_S": "1"])
        for (path, json) in [("/api/v2/items", true), ("/objects", false)] {
            let client = try registry.client(receiveTimeout: 10)
            try client.send("GET \(path) HTTP/1.1\r\nHost: registry.test\r\n")
            let response = try client.readResponse()
            #expect(response.status == 408, "\(path)")
            if json {
                #expect(response.headers["Content-Type"]?.hasPrefix("application/json") == true)
                #expect(try response.jsonObject()["status"] as? String == "error")
            } else {
                #expect(response.headers["Content-Type"]?.hasPrefix("text/plain") == true, "\(path)")
            }
        }
    }

    @Test("OPS-50: a head under MAX_HEADER_BYTES is accepted however many fields it has; one over is a 431")
    func manyHeaderFields() throws {
        let registry = try TestRegistry.start()
        let client = try registry.client()
        // 700 fields of about 40 bytes: 28 KiB, under the 32 KiB default.
        let fields = (0..<700).map { ("X-Pad-\($0)", String(repeating: "v", count: 28)) }
        #expect(try client.request(method: "GET", path: "/health", headers: fields).status == 200)
        let over = try registry.client()
        let big = (0..<900).map { ("X-Pad-\($0)", String(repeating: "v", count: 28)) }
        #expect(try over.request(method: "GET", path: "/health", headers: big).status == 431)
    }

    @Test("API-1: %2F inside a segment is part of the identifier, never a separator")
    func encodedSlashStaysInSegment() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let client = try registry.client()
        let response = try client.request(method: "GET", path: "/api/v2/institutions/test.edu%2Fextra", headers: admin.headers)
        #expect(response.status == 404)
        #expect(try response.jsonObject()["message"] as? String == "institution not found: test.edu/extra")
        let trailing = try client.request(method: "GET", path: "/api/v2/institutions/test.edu/", headers: admin.headers)
        #expect(trailing.status == 200)
        #expect(try trailing.jsonObject()["identifier"] as? String == "test.edu")
    }

    @Test("OPS-2: an invalid variable makes every command exit 2 naming it")
    func invalidConfiguration() throws {
        var environment = ProcessInfo.processInfo.environment
        for (name, value) in [("PORT", "0"), ("DB_POOL_SIZE", "1001"), ("HEADER_READ_TIMEOUT_S", "86401"),
                              ("MAX_BODY_BYTES", "1023")] {
            environment[name] = value
            for command in [["serve"], ["migrate"], ["version"]] {
                let result = try TestRegistry.runCLI(command, environment: environment)
                #expect(result.status == 2, "\(name)=\(value) \(command)")
                #expect(result.stderr.contains(name))
            }
            environment[name] = nil
        }
        #expect(try TestRegistry.runCLI(["version"], environment: environment).status == 0)
        #expect(try TestRegistry.runCLI(["no-such-command"], environment: environment).status == 2)
        // A group without its verb is a usage error too (OPS-22a); asking for help is not.
        for group in [[], ["create"], ["institution"], ["audit"]] {
            let result = try TestRegistry.runCLI(group, environment: environment)
            #expect(result.status == 2, "\(group)")
            #expect(result.stderr.contains("USAGE"), "\(group): \(result.stderr.prefix(200))")
        }
        #expect(try TestRegistry.runCLI(["institution", "--help"], environment: environment).status == 0)
    }

    /// A registry with an admin, and a session holding `table` locked (BEGIN … LOCK), so that a
    /// request needing it is in flight when SIGTERM arrives.
    private static func registryWithLockedTable(_ table: String, grace: String)
        throws -> (TestRegistry, TestRegistry.Credentials, TestSQLConnection) {
        let registry = try TestRegistry.start(environment: ["SHUTDOWN_GRACE_S": grace])
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let blocker = try registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("LOCK TABLE \(table) IN ACCESS EXCLUSIVE MODE")
        return (registry, admin, blocker)
    }

    @Test("OPS-45/46: SIGTERM lets the request in flight finish, refuses new connections, exits 0")
    func gracefulShutdown() throws {
        let (registry, admin, blocker) = try Self.registryWithLockedTable("institutions", grace: "10")
        let inFlight = try registry.client(receiveTimeout: 20)
        try inFlight.send("GET /api/v2/institutions HTTP/1.1\r\nHost: t\r\nX-Pharos-API-User: \(admin.email)\r\n"
                          + "X-Pharos-API-Key: \(admin.key)\r\n\r\n")
        usleep(300_000)
        kill(registry.processIdentifier, SIGTERM)
        usleep(500_000)
        #expect((try? RawHTTPClient(port: registry.port, receiveTimeout: 1)) == nil, "new connections are refused")
        try blocker.query("COMMIT")
        let response = try inFlight.readResponse()
        #expect(response.status == 200)
        #expect(response.headers.values("Connection") == ["close"])
        #expect(registry.stop(timeout: 15) == 0)
        #expect(registry.log().contains("\"requests_cut_off\":0"))
    }

    @Test("OPS-45: past SHUTDOWN_GRACE_S a request blocked in the database is cut off, its transaction rolls back, exit 0")
    func shutdownCutsOffBlockedRequest() throws {
        // The object create waits for a lock held elsewhere (the object table), well past the grace.
        let (registry, admin, blocker) = try Self.registryWithLockedTable("intellectual_objects", grace: "1")
        let inFlight = try registry.client(receiveTimeout: 20)
        let body = #"{"identifier":"test.edu/late","title":"Late","access":"institution"}"#
        try inFlight.send("POST /api/v2/objects/test.edu HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                          + "Content-Length: \(body.utf8.count)\r\nX-Pharos-API-User: \(admin.email)\r\n"
                          + "X-Pharos-API-Key: \(admin.key)\r\n\r\n" + body)
        usleep(500_000)
        let started = Date()
        // The database session stays blocked (the lock is held throughout), yet the process exits.
        #expect(registry.stop(timeout: 10) == 0)
        #expect(Date().timeIntervalSince(started) < 7, "exited within SHUTDOWN_GRACE_S + 5 s")
        #expect(registry.log().contains("\"requests_cut_off\":1"))
        try blocker.query("COMMIT")
        #expect(try blocker.query("SELECT count(*) FROM intellectual_objects WHERE identifier = 'test.edu/late'")[0][0] == "0")
    }
}
