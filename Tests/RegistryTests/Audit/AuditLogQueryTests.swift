import Foundation
import Testing
import TestSupport

/// `GET /api/v2/audit/log` (auditor.md AUD-70).
@Suite("Audit log queries")
struct AuditLogQueryTests {
    @Test("AUD-70: admins see all rows, inst admins their institution's, inst users 403; filters; newest first")
    func scopingAndFilters() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("other.edu")
        let admin = try registry.makeUser("admin@aptrust.org", role: "admin", institution: "test.edu")
        let instAdmin = try registry.makeUser("admin@test.edu", role: "institutional_admin", institution: "test.edu")
        let instUser = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
        let otherAdmin = try registry.makeUser("admin@other.edu", role: "institutional_admin", institution: "other.edu")
        // Rows for both institutions: CLI actions write audit rows with auth_method cli.
        #expect(try registry.cli(["institution", "deactivate", "other.edu"]).status == 0)
        #expect(try registry.cli(["institution", "reactivate", "other.edu"]).status == 0)
        #expect(try registry.cli(["create", "api-key", "--email", "admin@test.edu", "--label", "second"]).status == 0)
        let client = try registry.client()

        let all = try client.request(method: "GET", path: "/api/v2/audit/log?per_page=100", headers: admin.headers)
        #expect(all.status == 200)
        let actions = try all.results().compactMap { $0["action"] as? String }
        #expect(actions.prefix(3) == ["api_key.issue", "institution.reactivate", "institution.deactivate"])
        let first = try #require(try all.results().first)
        for field in ["id", "created_at", "occurred_at", "request_id", "actor_user_id", "actor_email", "auth_method",
                      "remote_addr", "action", "resource_type", "resource_id", "resource_identifier", "institution_id",
                      "http_method", "path", "status", "details"] {
            #expect(first.keys.contains(field), "missing \(field)")
        }
        #expect(first["auth_method"] as? String == "cli")
        #expect((first["details"] as? [String: Any])?["label"] as? String == "second")

        let own = try client.request(method: "GET", path: "/api/v2/audit/log?per_page=100", headers: instAdmin.headers)
        let otherID = try registry.sql().scalar("SELECT id FROM institutions WHERE identifier = 'other.edu'")
        #expect(try own.results().allSatisfy { "\($0["institution_id"] ?? "")" != otherID })
        #expect(try own.results().contains { $0["action"] as? String == "api_key.issue" })
        let filtered = try client.request(method: "GET", path: "/api/v2/audit/log?institution=other.edu", headers: instAdmin.headers)
        #expect(filtered.status == 200)
        #expect(try filtered.jsonObject()["count"] as? Int == 0)
        let theirs = try client.request(method: "GET", path: "/api/v2/audit/log?action=institution.deactivate", headers: otherAdmin.headers)
        #expect(try theirs.jsonObject()["count"] as? Int == 1)

        #expect(try client.request(method: "GET", path: "/api/v2/audit/log", headers: instUser.headers).status == 403)
        #expect(try client.request(method: "GET", path: "/api/v2/audit/log?bogus=1", headers: admin.headers).status == 400)
        // API-45a: `action` is the audit log's own filter here, not the work items' repeatable alias.
        let repeated = try client.request(method: "GET", path: "/api/v2/audit/log?action=a&action=b", headers: admin.headers)
        #expect(repeated.status == 400)
        #expect(repeated.text.contains("parameter may not repeat: action"))
        #expect(try client.request(method: "GET", path: "/api/v2/audit/log?status=201&status=200",
                                   headers: admin.headers).status == 200)
        #expect(try client.request(method: "GET", path: "/member-api/v2/audit/log", headers: admin.headers).status == 404)
        let byResource = try client.request(method: "GET", path: "/api/v2/audit/log?resource_type=institution&after=2000-01-01",
                                            headers: admin.headers)
        #expect(try byResource.results().allSatisfy { $0["resource_type"] as? String == "institution" })
        // The 403 above was recorded as authz.denied (DOM-83).
        #expect(try registry.sql().scalar("SELECT count(*) FROM audit_log WHERE action = 'authz.denied'") == "1")
    }
}
