import Foundation
import Testing
import TestSupport

/// `GET|POST /api/v2/notifications/failed_fixity` (route #47; api-v2.md API-130, API-134;
/// domain.md DOM-140, DOM-141a, DOM-141b).
@Suite("Notification trigger: failed_fixity")
struct FailedFixityTriggerTests {
    static let environment = ["PUBLIC_BASE_URL": "https://registry.example.org/", "OPS_EMAIL": "ops@aptrust.org"]

    @Test("API-130: one multiple_fixity per institution listing only its own events ([Fix]); recipients, subject and body exact")
    func groupsByInstitution() throws {
        let world = try AlertWorld.start(environment: Self.environment)
        try world.makeUser("b-admin@test.edu", role: "institutional_admin", institution: "test.edu")
        try world.makeUser("gone@test.edu", role: "institutional_admin", institution: "test.edu", deactivated: true)
        try world.objectWithFile("test.edu/bag/data/a.txt")
        try world.registry.makeFile("test.edu/bag/data/b c.txt")
        try world.objectWithFile("other.edu/bag/x.txt")
        let a = try world.fixityEvents(["Failed", "Success"], file: "test.edu/bag/data/a.txt")
        let other = try world.fixityEvents(["Failed"], file: "other.edu/bag/x.txt")
        let bc = try world.fixityEvents(["Failure"], file: "test.edu/bag/data/b c.txt")
        // An object-level failed fixity check names the object; another event type never counts.
        let objectLevel = TestRegistry.TestEvent(eventType: "fixity check", outcome: "Failed", objectIdentifier: "test.edu/bag")
        try world.registry.appendEvents([
            objectLevel,
            TestRegistry.TestEvent(eventType: "ingestion", outcome: "Failed", objectIdentifier: "test.edu/bag"),
        ])

        let response = try world.send("POST", "/api/v2/notifications/failed_fixity")
        #expect(response.status == 200, "\(response.text)")
        #expect(try response.jsonObject() as NSDictionary == ["message": "2 notifications created", "notifications": 2] as NSDictionary)
        #expect(response.headers.values("Deprecation").isEmpty)

        let rows = try world.notifications()
        #expect(rows.count == 2)
        let testEdu = try #require(rows.first { $0.institution == "test.edu" })
        #expect(testEdu.type == "multiple_fixity")
        // Active inst admins in byte order, then OPS_EMAIL; no deactivated admin, no inst user.
        #expect(testEdu.recipients == ["admin@test.edu", "b-admin@test.edu", "ops@aptrust.org"])
        #expect(testEdu.subject == "Failed fixity checks for test.edu: 3")
        #expect(testEdu.body == """
            Failed fixity checks for test.edu: 3
            Each line below names a file (or object) whose fixity check failed and links to that event.

            test.edu/bag/data/a.txt https://registry.example.org/events/\(a[0])
            test.edu/bag/data/b c.txt https://registry.example.org/events/\(bc[0])
            test.edu/bag https://registry.example.org/events/\(objectLevel.identifier)
            """)
        #expect(testEdu.status == "pending")
        #expect(testEdu.attempts == 0)
        #expect(testEdu.attachmentName == nil)
        #expect(try world.linkedEvents(testEdu.id) == [a[0], bc[0], objectLevel.identifier])

        let otherEdu = try #require(rows.first { $0.institution == "other.edu" })
        #expect(otherEdu.recipients == ["admin@other.edu", "ops@aptrust.org"])
        #expect(otherEdu.subject == "Failed fixity checks for other.edu: 1")
        #expect(otherEdu.body == """
            Failed fixity checks for other.edu: 1
            Each line below names a file (or object) whose fixity check failed and links to that event.

            other.edu/bag/x.txt https://registry.example.org/events/\(other[0])
            """)
        #expect(try world.linkedEvents(otherEdu.id) == [other[0]])
    }

    @Test("DOM-140: a second call creates nothing (204); a later failure is notified alone; GET carries Deprecation (API-81)")
    func deduplication() throws {
        let world = try AlertWorld.start(environment: Self.environment)
        try world.objectWithFile("test.edu/bag/data/a.txt")
        try world.fixityEvents(["Failed"], file: "test.edu/bag/data/a.txt")
        #expect(try world.send("POST", "/api/v2/notifications/failed_fixity/").status == 200)
        let counts = try world.outboxCounts()
        #expect(counts == [1, 1, 0])

        let again = try world.send("POST", "/api/v2/notifications/failed_fixity/")
        #expect(again.status == 204)
        #expect(again.body.isEmpty)
        let viaGet = try world.send("GET", "/api/v2/notifications/failed_fixity")
        #expect(viaGet.status == 204)
        #expect(viaGet.headers.values("Deprecation") == ["true"])
        #expect(try world.outboxCounts() == counts)

        let later = try world.fixityEvents(["Failure"], file: "test.edu/bag/data/a.txt")
        let third = try world.send("GET", "/api/v2/notifications/failed_fixity?since=2024-01-01")
        #expect(third.status == 200)
        #expect(third.headers.values("Deprecation") == ["true"])
        #expect(try third.jsonObject()["notifications"] as? Int == 1)
        let newest = try #require(try world.notifications().last)
        #expect(newest.subject == "Failed fixity checks for test.edu: 1")
        #expect(try world.linkedEvents(newest.id) == later)

        // Every call wrote one audit row (DOM-82), with the status it answered.
        let audit = try world.sql("""
            SELECT status, details->>'notifications' FROM audit_log WHERE action = 'notification.trigger' ORDER BY id
            """)
        #expect(audit.map { $0[0] ?? "" } == ["200", "204", "204", "200"])
        #expect(audit.map { $0[1] ?? "" } == ["1", "0", "0", "1"])
    }

    @Test("API-130: since filters by created_at; without OPS_EMAIL only the inst admins; links from the request's Host")
    func sinceAndDefaults() throws {
        let world = try AlertWorld.start()
        try world.objectWithFile("test.edu/bag/data/a.txt")
        let events = try world.fixityEvents(["Failed"], file: "test.edu/bag/data/a.txt")
        let future = isoTimestamp(secondsAgo: -3600)
        #expect(try world.send("POST", "/api/v2/notifications/failed_fixity?since=\(future)").status == 204)
        #expect(try world.count("notifications") == 0)
        #expect(try world.send("POST", "/api/v2/notifications/failed_fixity").status == 200)
        let row = try #require(try world.notifications().first)
        #expect(row.recipients == ["admin@test.edu"])
        #expect(row.body.hasSuffix("\n\ntest.edu/bag/data/a.txt \(world.hostBase)/events/\(events[0])"))
    }

    @Test("§7.2: triggers are admin-only (403), not member routes; body and parameter checks (415, 400)")
    func permissionsAndValidation() throws {
        let world = try AlertWorld.start()
        for path in ["/api/v2/notifications/failed_fixity", "/api/v2/notifications/successful_restoration",
                     "/api/v2/notifications/deletion"] {
            for caller in [world.instAdmin, world.instUser] {
                #expect(try world.send("GET", path, as: caller).status == 403, "\(path)")
                #expect(try world.send("POST", path, as: caller).status == 403, "\(path)")
            }
            #expect(try world.send("GET", "/member-api/v2" + path.dropFirst("/api/v2".count)).status == 404)
            #expect(try world.send("PUT", path).status == 405)
            #expect(try world.send("GET", path + "?since=soon").status == 400)
            #expect(try world.send("GET", path + "?limit=5").status == 400)
            #expect(try world.send("POST", path, body: Array("since=x".utf8),
                                   headers: [("Content-Type", "application/x-www-form-urlencoded")]).status == 415)
            #expect(try world.send("POST", path, body: Array("{".utf8), headers: [("Content-Type", "application/json")]).status == 400)
            #expect(try world.send("POST", path, json: [String: Any]()).status == 204)
        }
        #expect(try world.count("notifications") == 0)
    }
}
