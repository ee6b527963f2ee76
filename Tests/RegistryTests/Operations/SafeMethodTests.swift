import Foundation
import Testing
import TestSupport

/// api-v2.md API-7: HEAD is accepted wherever GET is and answers with the GET's headers and no
/// body — also on the [Compat] GETs that change data (API-81), whose GET it therefore performs.
@Suite("HEAD on the [Compat] state-changing GETs")
struct SafeMethodTests {
    @Test("API-7/API-81: HEAD on finish_delete and on a trigger answers as GET does, Deprecation included, no body")
    func headOnStateChangingGet() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        try registry.makeObject("test.edu/bag")
        let client = try registry.client()

        // No deletion was requested: the GET is a 409 (DOM-125), and so is HEAD, without a body.
        let get = try client.request(method: "GET", path: "/api/v2/objects/test.edu%2Fbag/finish_delete", headers: admin.headers)
        let head = try client.request(method: "HEAD", path: "/api/v2/objects/test.edu%2Fbag/finish_delete", headers: admin.headers)
        #expect(get.status == 409)
        #expect(head.status == get.status)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Type"] == get.headers["Content-Type"])
        #expect(head.headers.values("Deprecation").isEmpty, "#10 is not deprecated (API-81)")
        #expect(try registry.sql().scalar("SELECT state FROM intellectual_objects") == "A")

        // A trigger with nothing to notify: 204 and Deprecation: true, for HEAD as for GET.
        for method in ["HEAD", "GET"] {
            let trigger = try client.request(method: method, path: "/api/v2/notifications/failed_fixity", headers: admin.headers)
            #expect(trigger.status == 204, "\(method)")
            #expect(trigger.headers.values("Deprecation") == ["true"], "\(method)")
        }
        // Deprecation on every answer of a deprecated GET, a refusal included.
        let refused = try client.request(method: "GET", path: "/api/v2/notifications/failed_fixity?since=yesterday",
                                         headers: admin.headers)
        #expect(refused.status == 400)
        #expect(refused.headers.values("Deprecation") == ["true"])
        // API-7: the Allow header of a 405 names HEAD wherever GET is.
        let put = try client.request(method: "PUT", path: "/api/v2/objects/test.edu%2Fbag/finish_delete", headers: admin.headers)
        #expect(put.status == 405)
        #expect(put.headers.values("Allow") == ["GET, HEAD, POST"])
    }
}
