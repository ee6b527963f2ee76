import Foundation
import Testing
import TestSupport

/// DOM-83: API authentication failures write `api_auth.failure` rows, at most one a minute per
/// (claimed e-mail, remote address, route) — a route being a row of the §9 table, not a path.
@Suite("audit: API authentication failures")
struct AuthFailureAuditTests {
    @Test("DOM-83: one api_auth.failure row a minute per claimed e-mail, address and route; GET and POST /items are two routes")
    func ratePerRoute() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let client = try registry.client()
        let headers = [(name: "X-Pharos-API-User", value: "nobody@test.edu"), (name: "X-Pharos-API-Key", value: "wrong")]
        let object = "/api/v2/objects/test.edu%2Fbag"
        let requests: [(method: String, path: String, body: String?)] = [
            ("POST", "/api/v2/items", "{}"),      // #33
            ("GET", "/api/v2/items", nil),        // #31: another route
            ("GET", "/api/v2/items/", nil),       // #31 again: no row
            ("PUT", object, "{}"),                // #6
            ("PATCH", object, "{}"),              // #6 again: no row
            ("DELETE", object, nil),              // #8: another route
            ("GET", "/member-api/v2/items", nil), // #31 under the member prefix: counted apart
        ]
        for request in requests {
            let response = try client.request(method: request.method, path: request.path,
                                              headers: headers + (request.body == nil ? [] : [(name: "Content-Type", value: "application/json")]),
                                              body: request.body.map { Array($0.utf8) })
            #expect(response.status == 401, "\(request.method) \(request.path)")
        }
        let rows = try registry.sql().query("""
            SELECT http_method || ' ' || path FROM audit_log WHERE action = 'api_auth.failure' ORDER BY id
            """).map { $0[0] ?? "" }
        #expect(rows == ["POST /api/v2/items", "GET /api/v2/items", "PUT \(object)", "DELETE \(object)",
                         "GET /member-api/v2/items"])
        // Metrics count every occurrence (DOM-83).
        let metrics = try client.request(method: "GET", path: "/metrics").text
        #expect(metrics.contains("registry_api_auth_failures_total 7\n"))
    }
}
