import Foundation
import Testing
import TestSupport

/// domain.md §7.2 rows "Alerts and alert summary" (admin all, inst admin own, inst user no),
/// "Notification triggers and outbox" (admin only) and "Reports" (everyone, own institution), for
/// records every caller may see (the caller's own institution's), so refusals are 403 (DOM-96a).
@Suite("Alerts, notifications, reports: permission matrix")
struct PermissionMatrixTests {
    @Test("§7.2: every route of #45–#57 for admin, inst admin and inst user")
    func matrix() throws {
        let world = try AlertWorld.start()
        let restored = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Restore", stage: "Resolve", status: "Success"))
        let notification = try NotificationOutboxTests.insert(world)
        try world.sql("UPDATE notifications SET attachment = '\\x41', attachment_name = 'a.csv', attachment_content_type = 'text/csv'")
        let failedBody: [String: Any] = ["error": "550"]
        // (method, path, body, admin, inst admin, inst user)
        let rows: [(String, String, Any?, Int, Int, Int)] = [
            ("GET", "/api/v2/alerts", nil, 200, 200, 403),
            ("GET", "/api/v2/alerts/summary", nil, 200, 200, 403),
            ("GET", "/api/v2/notifications/failed_fixity", nil, 204, 403, 403),
            ("POST", "/api/v2/notifications/failed_fixity", nil, 204, 403, 403),
            // The restored item is notified once (200), then nothing is left (204).
            ("GET", "/api/v2/notifications/successful_restoration", nil, 200, 403, 403),
            ("POST", "/api/v2/notifications/successful_restoration", nil, 204, 403, 403),
            ("GET", "/api/v2/notifications/spot_test_restoration/\(restored)", nil, 200, 403, 403),
            ("POST", "/api/v2/notifications/spot_test_restoration/\(restored)", nil, 200, 403, 403),
            ("GET", "/api/v2/notifications/deletion", nil, 204, 403, 403),
            ("POST", "/api/v2/notifications/deletion", nil, 204, 403, 403),
            ("GET", "/api/v2/notifications", nil, 200, 403, 403),
            ("GET", "/api/v2/notifications/\(notification)", nil, 200, 403, 403),
            ("GET", "/api/v2/notifications/\(notification)/attachment", nil, 200, 403, 403),
            ("POST", "/api/v2/notifications/\(notification)/failed", failedBody, 204, 403, 403),
            ("POST", "/api/v2/notifications/\(notification)/sent", nil, 204, 403, 403),
            ("GET", "/api/v2/reports/overview", nil, 200, 200, 200),
            ("GET", "/api/v2/reports/deposits", nil, 200, 200, 200),
            ("GET", "/api/v2/reports/storage", nil, 200, 200, 200),
        ]
        for (method, path, body, adminStatus, instAdminStatus, instUserStatus) in rows {
            // Non-admins first: their refusals change nothing the admin's call then relies on.
            #expect(try world.send(method, path, as: world.instUser, json: body).status == instUserStatus, "U \(method) \(path)")
            #expect(try world.send(method, path, as: world.instAdmin, json: body).status == instAdminStatus, "I \(method) \(path)")
            #expect(try world.send(method, path, as: world.admin, json: body).status == adminStatus, "A \(method) \(path)")
            // 401 for everyone without credentials (API-12).
            let anonymous = try world.registry.client().request(method: method, path: path)
            #expect(anonymous.status == 401, "\(method) \(path)")
        }
        // DOM-83: a 403 is audited as authz.denied.
        #expect(try world.count("audit_log WHERE action = 'authz.denied'") > 0)
    }
}
