import Foundation
import Testing
import TestSupport

/// GET object (route #4) answered on the HTTP event loop (`ObjectShowOnLoop`, `LoopDatabase`):
/// the common case there, byte for byte as the worker path answers it; everything else handed
/// back to the worker path and answered as before; a lost session dropped and reopened.
@Suite("objects: show answered on the event loop")
struct ObjectShowOnLoopTests {
    /// `registry_loop_reads_total` from /metrics.
    static func loopReads(_ world: ObjectWorld) throws -> (answered: Int, handedBack: Int) {
        let metrics = try world.registry.client().request(method: "GET", path: "/metrics").text
        func value(_ outcome: String) -> Int {
            let prefix = "registry_loop_reads_total{outcome=\"\(outcome)\"} "
            return metrics.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Int($0.dropFirst(prefix.count)) } ?? -1
        }
        return (value("answered"), value("handed_back"))
    }

    /// GETs `path` until one is answered on a loop (the loops open their sessions on first use).
    static func warmUp(_ world: ObjectWorld, _ path: String) throws {
        let deadline = Date().addingTimeInterval(10)
        let before = try loopReads(world).answered
        while Date() < deadline {
            #expect(try world.get(path).status == 200)
            if try loopReads(world).answered > before { return }
            usleep(50_000)
        }
        Issue.record("no GET object was answered on an event loop within 10 s")
    }

    @Test("the common case is answered on the loop, with the same bytes as the worker path")
    func sameAnswerOnTheLoop() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag 1", title: "T\u{E9}st \"quoted\"", extra: ["etag": "e1"])
        let path = "/api/v2/objects/test.edu%2Fbag%201"
        try Self.warmUp(world, path)

        for caller in [world.admin, world.instAdmin, world.instUser] {
            let before = try Self.loopReads(world)
            let onLoop = try world.get(path, as: caller)
            let after = try Self.loopReads(world)
            #expect(onLoop.status == 200)
            // Both loops may still be opening their sessions: a hand-back is allowed, never a wrong answer.
            #expect(after.answered + after.handedBack == before.answered + before.handedBack + 1)
            // A query string and the member API always take the worker path.
            let byWorker = try world.get(path + "?include_files=false", as: caller)
            let byMemberAPI = try world.get("/member-api/v2/objects/test.edu%2Fbag%201", as: caller)
            #expect(onLoop.text == byWorker.text)
            #expect(onLoop.text == byMemberAPI.text)
            #expect(onLoop.headers["Content-Type"] == byWorker.headers["Content-Type"])
            #expect(onLoop.headers["Cache-Control"] == byWorker.headers["Cache-Control"])
        }
        let log = world.registry.log()
        #expect(log.contains(#""route":"/api/v2/objects/{obj}""#))
        #expect(log.contains(#""user":"iu@test.edu""#))
    }

    @Test("401, 404, DOM-96a, API-4, HEAD and bad escapes are handed back and answered as before")
    func everythingElseIsHandedBack() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/x y", title: "with space")
        let otherID = try #require(try world.createObject("other.edu/private", access: "institution")["id"] as? Int)
        try Self.warmUp(world, "/api/v2/objects/test.edu%2Fx%20y")
        let before = try Self.loopReads(world)

        let refused = try world.client().request(method: "GET", path: "/api/v2/objects/test.edu%2Fx%20y", headers: [
            ("X-Pharos-API-User", world.instUser.email), ("X-Pharos-API-Key", String(repeating: "0", count: 64))])
        #expect(refused.status == 401)
        #expect(refused.message == "invalid API credentials")
        #expect(try world.registry.sql().scalar(
            "SELECT count(*) FROM audit_log WHERE action = 'api_auth.failure' AND details->>'claimed_email' = 'iu@test.edu'") == "1")
        // §4.12: the row records the request's method and path.
        #expect(try world.registry.sql().scalar(
            "SELECT http_method || ' ' || path FROM audit_log WHERE action = 'api_auth.failure'") == "GET /api/v2/objects/test.edu%2Fx%20y")

        let missing = try world.get("/api/v2/objects/test.edu%2Fnope")
        #expect(missing.status == 404)
        #expect(missing.message == "object not found: test.edu/nope")
        for path in ["/api/v2/objects/other.edu%2Fprivate", "/api/v2/objects/\(otherID)"] {
            let hidden = try world.get(path, as: world.instUser)
            #expect(hidden.status == 404, "\(path)")
        }
        #expect(try world.get("/api/v2/objects/test.edu%2Fx+y").jsonObject()["title"] as? String == "with space")
        #expect(try world.get("/api/v2/objects/test.edu%2Fx%00y").status == 400)
        let head = try world.client().request(method: "HEAD", path: "/api/v2/objects/test.edu%2Fx%20y",
                                               headers: world.admin.headers)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)

        let after = try Self.loopReads(world)
        // Each of the seven reached the loop path and was handed back to a worker.
        #expect(after.handedBack - before.handedBack == 7)
        #expect(after.answered == before.answered)
    }

    @Test("DOM-58: a key whose last_used_at is due is handed back, and the worker writes it")
    func staleLastUsedIsWrittenByTheWorker() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag")
        let path = "/api/v2/objects/test.edu%2Fbag"
        try Self.warmUp(world, path)
        let sql = try world.registry.sql()
        _ = try sql.query("UPDATE api_keys SET last_used_at = now() - interval '2 minutes' WHERE user_id = $1",
                          [String(world.instUser.userID)])
        let before = try Self.loopReads(world)
        #expect(try world.get(path, as: world.instUser).status == 200)
        let after = try Self.loopReads(world)
        #expect(after.handedBack == before.handedBack + 1)
        #expect(after.answered == before.answered)
        #expect(try sql.scalar("SELECT count(*) FROM api_keys WHERE user_id = $1 AND last_used_at > now() - interval '1 minute'",
                               [String(world.instUser.userID)]) == "1")
    }

    @Test("a lost loop session is dropped; meanwhile workers answer; it is reopened")
    func lostSessionIsReopened() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag")
        let path = "/api/v2/objects/test.edu%2Fbag"
        try Self.warmUp(world, path)
        let sql = try world.registry.sql()
        _ = try sql.query("""
            SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            """)
        // The pool reconnects on its own (OPS-65); the loops' sessions after their retry delay.
        let deadline = Date().addingTimeInterval(30)
        var answeredAgain = false
        let answeredBefore = try Self.loopReads(world).answered
        while Date() < deadline, !answeredAgain {
            let response = try world.get(path)
            #expect(response.status == 200 || response.status == 503, "\(response.status): \(response.text.prefix(200))")
            answeredAgain = try Self.loopReads(world).answered > answeredBefore
            usleep(100_000)
        }
        #expect(answeredAgain)
        #expect(try world.get(path).status == 200)
    }

    @Test("DB_LOOP_READS=false: no loop path; the loop sessions count against DB_POOL_SIZE")
    func configuration() throws {
        let off = try ObjectWorld(environment: ["DB_LOOP_READS": "false"])
        try off.createObject("test.edu/bag")
        #expect(try off.get("/api/v2/objects/test.edu%2Fbag").status == 200)
        #expect(try Self.loopReads(off) == (0, 0))

        let small = try ObjectWorld(environment: ["DB_POOL_SIZE": "4"])
        try small.createObject("test.edu/bag")
        try Self.warmUp(small, "/api/v2/objects/test.edu%2Fbag")
        // Concurrent GETs and lists use every connection the process may open.
        let group = DispatchGroup()
        for index in 0..<16 {
            DispatchQueue.global().async(group: group) {
                _ = try? small.get(index % 2 == 0 ? "/api/v2/objects/test.edu%2Fbag" : "/api/v2/objects?per_page=5")
            }
        }
        group.wait()
        let sessions = try small.registry.sql().scalar("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND pid <> pg_backend_pid() AND backend_type = 'client backend'
            """)
        #expect(Int(sessions ?? "") ?? 99 <= 4)
    }
}
