import Foundation
import Testing
import TestSupport

/// The server against a database that is slow, saturated or gone (OPS-56, OPS-57, OPS-65).
@Suite("registry serve: database failures")
struct DatabaseFailureTests {
    private func request(_ registry: TestRegistry, _ credentials: TestRegistry.Credentials,
                         timeout: TimeInterval = 20) throws -> TestHTTPResponse {
        try registry.client(receiveTimeout: timeout).request(method: "GET", path: "/api/v2/institutions",
                                                             headers: credentials.headers)
    }

    @Test("OPS-56: with every pooled connection busy, a request gets 503 + Retry-After: 1 after the acquire timeout")
    func poolExhaustion() throws {
        let registry = try TestRegistry.start(environment: ["DB_POOL_SIZE": "1", "DB_ACQUIRE_TIMEOUT_MS": "1000"])
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let blocker = try registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("LOCK TABLE institutions IN ACCESS EXCLUSIVE MODE")
        // The first request takes the only connection and waits on the lock.
        let holder = try registry.client(receiveTimeout: 20)
        try holder.send("GET /api/v2/institutions HTTP/1.1\r\nHost: t\r\nX-Pharos-API-User: \(admin.email)\r\n"
                        + "X-Pharos-API-Key: \(admin.key)\r\n\r\n")
        usleep(300_000)
        let started = Date()
        let starved = try request(registry, admin)
        let waited = Date().timeIntervalSince(started)
        #expect(starved.status == 503)
        #expect(starved.headers.values("Retry-After") == ["1"])
        #expect(waited >= 0.9 && waited < 5, "waited \(waited) s")
        try blocker.query("COMMIT")
        #expect(try holder.readResponse().status == 200)
        #expect(try request(registry, admin).status == 200)
    }

    @Test("OPS-57: a statement over DB_STATEMENT_TIMEOUT_MS is a 503 with Retry-After: 5")
    func statementTimeout() throws {
        let registry = try TestRegistry.start(environment: ["DB_STATEMENT_TIMEOUT_MS": "1000"])
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let blocker = try registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("LOCK TABLE institutions IN ACCESS EXCLUSIVE MODE")
        let response = try request(registry, admin)
        try blocker.query("COMMIT")
        #expect(response.status == 503)
        #expect(response.headers.values("Retry-After") == ["5"])
        #expect(try request(registry, admin).status == 200)
    }

    @Test("OPS-65: database stopped → 503 + Retry-After and /ready 503; restarted → normal answers, same process")
    func databaseRestart() throws {
        let cluster = try TestCluster.dedicated()
        defer { cluster.remove() }
        let conninfo = try cluster.createDatabase(named: "restart_test")
        let registry = try TestRegistry.start(conninfo: conninfo)
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        #expect(try request(registry, admin).status == 200)

        try cluster.stop()
        let down = try request(registry, admin)
        #expect(down.status == 503)
        #expect(down.headers.values("Retry-After") == ["5"])
        #expect(down.message == "database unavailable")
        // The HTML view says the same on its 503 page (WEB-26); a session cookie needs the database.
        let page = try registry.client().request(method: "GET", path: "/objects",
                                                 headers: [("Cookie", "registry_session=\(String(repeating: "a", count: 64))")])
        #expect(page.status == 503)
        #expect(page.headers.values("Retry-After") == ["5"])
        #expect(page.text.contains("Database unavailable; try again shortly."))
        let notReady = try registry.client().request(method: "GET", path: "/ready")
        #expect(notReady.status == 503)
        #expect(try notReady.jsonObject()["database"] as? String == "unreachable")
        // OPS-36 names only `current` and `pending`: the last state seen while it cannot be asked.
        #expect(try notReady.jsonObject()["migrations"] as? String == "current")
        #expect(try registry.client().request(method: "GET", path: "/health").status == 200)

        try cluster.start()
        var recovered = false
        for _ in 0..<50 where !recovered {
            recovered = (try? request(registry, admin).status) == 200
            if !recovered { usleep(200_000) }
        }
        #expect(recovered)
        #expect(registry.isRunning)
    }

    @Test("OPS-36: a database that hangs (paused, not down) makes /ready a 503 within its second, every time; it recovers")
    func hungDatabase() throws {
        let cluster = try TestCluster.dedicated()
        defer { cluster.remove() }
        let conninfo = try cluster.createDatabase(named: "hang_test")
        let registry = try TestRegistry.start(conninfo: conninfo)
        #expect(try registry.client().request(method: "GET", path: "/ready").status == 200)

        try cluster.signalAllProcesses(SIGSTOP)
        var paused = true
        defer { if paused { try? cluster.signalAllProcesses(SIGCONT) } }
        for attempt in 1...3 {
            let started = Date()
            let notReady = try registry.client(receiveTimeout: 10).request(method: "GET", path: "/ready")
            let waited = Date().timeIntervalSince(started)
            #expect(notReady.status == 503, "attempt \(attempt)")
            #expect(notReady.headers.values("Retry-After") == ["5"])
            #expect(try notReady.jsonObject()["database"] as? String == "unreachable")
            #expect(waited < 3, "attempt \(attempt) waited \(waited) s")
        }
        #expect(try registry.client().request(method: "GET", path: "/health").status == 200)

        try cluster.signalAllProcesses(SIGCONT)
        paused = false
        var ready = false
        for _ in 0..<50 where !ready {
            ready = (try? registry.client(receiveTimeout: 10).request(method: "GET", path: "/ready").status) == 200
            if !ready { usleep(200_000) }
        }
        #expect(ready)
    }
}
