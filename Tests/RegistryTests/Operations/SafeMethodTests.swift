import Foundation
import Testing
import TestSupport

/// HEAD is safe (RFC 9110 §9.3.2): it never performs the change of a [Compat] state-changing GET.
@Suite("HEAD never changes data")
struct SafeMethodTests {
    @Test("API-81: HEAD on finish_delete and on a notification trigger is a 405 and changes nothing")
    func headOnStateChangingGet() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        try registry.makeObject("test.edu/bag")
        let client = try registry.client()
        let before = try registry.sql().scalar("SELECT count(*) FROM audit_log")
        let finish = try client.request(method: "HEAD", path: "/api/v2/objects/test.edu%2Fbag/finish_delete", headers: admin.headers)
        #expect(finish.status == 405)
        #expect(finish.headers.values("Allow") == ["GET, POST"])
        let trigger = try client.request(method: "HEAD", path: "/api/v2/notifications/failed_fixity", headers: admin.headers)
        #expect(trigger.status == 405 || trigger.status == 404)
        #expect(try registry.sql().scalar("SELECT count(*) FROM audit_log") == before)
        #expect(try registry.sql().scalar("SELECT state FROM intellectual_objects") == "A")
        // HEAD on an ordinary GET route still works (API-7).
        #expect(try client.request(method: "HEAD", path: "/api/v2/objects/test.edu%2Fbag", headers: admin.headers).status == 200)
    }
}
