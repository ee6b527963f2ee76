import Foundation
import Postgres
import Testing
import TestSupport

/// OPS-45: at shutdown the event loops' pipelined database sessions (`LoopDatabase`) are ended with
/// a Terminate message, not dropped with the process.
@Suite("registry serve: the loop read sessions at shutdown")
struct LoopSessionShutdownTests {
    @Test("SIGTERM closes both loop sessions: PostgreSQL sees neither vanish without a goodbye")
    func loopSessionsAreClosedAtShutdown() throws {
        let cluster = try TestCluster.dedicated()
        defer { cluster.remove() }
        let conninfo = try cluster.createDatabase(named: "loop_shutdown")
        let maintenance = try TestSQLConnection(conninfo: cluster.conninfo(database: "postgres"))
        // PostgreSQL reports a client that disappears without Terminate at DEBUG1 only.
        try maintenance.query("ALTER DATABASE loop_shutdown SET log_min_messages = 'debug1'")
        try maintenance.query("ALTER SYSTEM SET log_disconnections = 'on'")
        try maintenance.query("SELECT pg_reload_conf()")
        let registry = try TestRegistry.start(conninfo: conninfo)
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@aptrust.org", role: "admin", institution: "test.edu")
        _ = try registry.makeWorkItem(TestRegistry.TestWorkItem(name: "bag.tar", status: "Pending"))
        let observer = try registry.sql()
        func loopSessions() throws -> Set<String> {
            Set(try observer.query("""
                SELECT pid::text FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'registry-loop'
                """).compactMap { $0.first ?? nil })
        }
        func items() throws {
            let response = try registry.client().request(method: "GET", path: "/api/v2/items/?status=Pending",
                                                         headers: admin.headers)
            #expect(response.status == 200)
        }
        // Consecutive connections go to alternate loops; each loop opens its session on first use.
        var loopBackends = Set<String>()
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline, loopBackends.count < 2 {
            try items()
            try items()
            usleep(50_000)
            loopBackends = try loopSessions()
        }
        #expect(loopBackends.count == 2, "loop sessions: \(loopBackends)")

        #expect(registry.stop() == 0)
        // The backends log the end of their connections: wait for it, with a deadline.
        var log = ""
        let logged = Date().addingTimeInterval(5)
        repeat {
            usleep(50_000)
            log = (try? String(contentsOfFile: cluster.embedded.logFile, encoding: .utf8)) ?? ""
        } while Date() < logged && !loopBackends.allSatisfy { pid in
            log.split(separator: "\n").contains { $0.contains("[\(pid)]") && $0.contains("disconnection:") }
        }
        for pid in loopBackends {
            let lines = log.split(separator: "\n").filter { $0.contains("[\(pid)]") }
            #expect(lines.contains { $0.contains("disconnection:") }, "backend \(pid) did not end")
            #expect(!lines.contains { $0.contains("unexpected EOF on client connection") }, "backend \(pid): \(lines)")
        }
    }
}
