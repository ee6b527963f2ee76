import Foundation
import Testing
import TestSupport

/// OPS-41: one JSON access entry per request with its id, method, route label, path, status,
/// duration, bytes and user.
@Suite("OPS-41: access log")
struct AccessLogTests {
    /// The access entries of the server's log, as JSON objects.
    private func accessEntries(_ registry: TestRegistry) -> [[String: Any]] {
        registry.log().split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["msg"] as? String == "request" else { return nil }
            return object
        }
    }

    private func entry(_ registry: TestRegistry, requestID: String) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let found = accessEntries(registry).first(where: { $0["request_id"] as? String == requestID }) { return found }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw RawHTTPError.connectFailed("no access entry for \(requestID)")
    }

    @Test("OPS-41: an entry carries every field; a request refused while its head is parsed keeps its method and path")
    func entries() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let listed = try registry.client().request(method: "GET", path: "/api/v2/institutions?per_page=5",
                                                   headers: admin.headers + [("X-Request-Id", "access-log-list")])
        #expect(listed.status == 200)
        let entry = try entry(registry, requestID: "access-log-list")
        #expect(entry["level"] as? String == "info")
        #expect(entry["method"] as? String == "GET")
        #expect(entry["route"] as? String == "/api/v2/institutions")
        #expect(entry["path"] as? String == "/api/v2/institutions?per_page=5")
        #expect(entry["status"] as? Int == 200)
        #expect(entry["duration_ms"] is Double || entry["duration_ms"] is Int)
        #expect(entry["bytes_out"] as? Int == listed.body.count)
        #expect(entry["user"] as? String == "admin@test.edu")

        // Refused by the head parser (an unsupported transfer coding, OPS-59c): the request line was
        // read, so the entry names its method and path.
        let refusedClient = try registry.client()
        try refusedClient.send("POST /api/v2/items HTTP/1.1\r\nHost: t\r\nX-Request-Id: access-log-refused\r\n"
                               + "Transfer-Encoding: gzip\r\n\r\n")
        #expect(try refusedClient.readResponse().status == 501)
        let refused = try self.entry(registry, requestID: "access-log-refused")
        #expect(refused["method"] as? String == "POST")
        #expect(refused["path"] as? String == "/api/v2/items")
        #expect(refused["status"] as? Int == 501)
    }
}
