import Foundation
import Testing
import TestSupport

/// API-51/OPS-65 on the `Expect: 100-continue` path: the credentials are checked before the body is
/// asked for (server-lessons §1.5); a database that cannot answer that check is the usual 503, not
/// a 401 that would tell a worker its key is wrong.
@Suite("100-continue while the database is away")
struct ContinueOutageTests {
    @Test("API-51: database stopped → the preflight answers 503 with Retry-After; with the database back, 100 Continue")
    func preflightDuringOutage() throws {
        let cluster = try TestCluster.dedicated()
        defer { cluster.remove() }
        let registry = try TestRegistry.start(conninfo: try cluster.createDatabase(named: "continue_outage"))
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "institutional_admin", institution: "test.edu")
        let head = "POST /api/v2/events/ HTTP/1.1\r\nHost: registry.test\r\nX-Pharos-API-User: \(admin.email)\r\n"
            + "X-Pharos-API-Key: \(admin.key)\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
            + "Expect: 100-continue\r\n\r\n"

        try cluster.stop()
        let during = try registry.client(receiveTimeout: 30)
        try during.send(head)
        let refused = try during.readInterimOrFinal()
        #expect(refused.status == 503)
        #expect(refused.headers["Retry-After"] != nil)
        #expect(try refused.jsonObject()["status"] as? String == "error")

        try cluster.start()
        var interim: Int?
        for _ in 0..<50 where interim != 100 {
            let client = try registry.client(receiveTimeout: 30)
            try client.send(head)
            interim = try? client.readInterimOrFinal().status
            if interim != 100 { usleep(200_000) }
        }
        #expect(interim == 100)
    }
}
