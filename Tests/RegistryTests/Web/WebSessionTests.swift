import Foundation
import Testing
import TestSupport

@Suite("HTML: sessions, logout and redirects")
struct WebSessionTests {
    @Test("WEB-7: logout deletes the session, drops the cookie (Max-Age=0), audits, redirects; GET /logout is 405")
    func logout() throws {
        let world = try WebWorld.start()
        let cookie = try #require(world.instUser.cookies["registry_session"])
        let response = try world.instUser.post("/logout")
        #expect(response.status == 303 && response.headers["Location"] == "/login")
        #expect(world.instUser.lastSetCookies.contains { $0.hasPrefix("registry_session=;") && $0.contains("Max-Age=0") })
        #expect(try world.count("SELECT count(*) FROM sessions WHERE id_hash = sha256(convert_to($1, 'UTF8'))", [cookie]) == 0)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'logout' AND actor_email = 'user@test.edu'") == 1)
        // The old cookie no longer works.
        let replay = WebBrowser(world.registry)
        replay.setCookie("registry_session", cookie)
        #expect(try replay.get("/objects").status == 303)

        let get = try world.instAdmin.get("/logout")
        #expect(get.status == 405)
        #expect(get.headers["Allow"] == "POST")
        #expect(get.headers["Content-Type"] == "text/html; charset=utf-8")
    }

    @Test("WEB-6: idle and absolute timeouts delete the session and redirect with the notice; last_seen_at once a minute")
    func expiry() throws {
        let world = try WebWorld.start()
        let sql = try world.registry.sql()
        let seen = "SELECT last_seen_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = $1"
        let before = try world.value(seen, ["user@test.edu"])
        #expect(try world.instUser.get("/objects").status == 200)
        #expect(try world.value(seen, ["user@test.edu"]) == before)  // written at most once a minute
        try sql.query("UPDATE sessions SET last_seen_at = now() - interval '2 minutes' FROM users u WHERE u.id = user_id AND u.email = 'user@test.edu'")
        #expect(try world.instUser.get("/objects").status == 200)
        #expect(try world.count("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'user@test.edu' AND s.last_seen_at > now() - interval '10 seconds'") == 1)

        // Idle for longer than SESSION_IDLE_MINUTES (60).
        try sql.query("UPDATE sessions SET last_seen_at = now() - interval '61 minutes' FROM users u WHERE u.id = user_id AND u.email = 'user@test.edu'")
        let idle = try world.instUser.get("/objects?state=A")
        #expect(idle.status == 303)
        #expect(idle.headers["Location"] == "/login?next=%2Fobjects%3Fstate%3DA")
        #expect(world.instUser.cookies["registry_session"] == nil)
        #expect(try world.count("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = 'user@test.edu'") == 0)
        let login = try world.instUser.get("/login?next=%2Fobjects%3Fstate%3DA")
        #expect(login.text.contains("Your session has expired."))
        #expect(!(try world.instUser.get("/login")).text.contains("Your session has expired."))  // one-time

        // Older than SESSION_MAX_HOURS (12), however recently seen.
        try sql.query("UPDATE sessions SET expires_at = now() - interval '1 second' FROM users u WHERE u.id = user_id AND u.email = 'admin@test.edu'")
        let absolute = try world.instAdmin.get("/")
        #expect(absolute.status == 303 && absolute.headers["Location"] == "/login?next=%2F")
    }

    @Test("WEB-10: next encodes the raw target; after login only safe relative paths are honoured; API-13")
    func nextParameter() throws {
        let world = try WebWorld.start()
        let redirect = try world.anonymous.get("/objects/test.edu%2Fb?state=A")
        #expect(redirect.status == 303)
        #expect(redirect.headers["Location"] == "/login?next=%2Fobjects%2Ftest.edu%252Fb%3Fstate%3DA")

        let browser = WebBrowser(world.registry)
        let form = try browser.get(try #require(redirect.headers["Location"]))
        #expect(form.text.contains(#"name="next" value="/objects/test.edu%2Fb?state=A""#))
        let login = try browser.signIn("user@test.edu", WebWorld.password, next: "/objects/test.edu%2Fb?state=A")
        #expect(login.headers["Location"] == "/objects/test.edu%2Fb?state=A")

        for unsafe in ["//evil.example.org/x", "/\\evil.example.org", "https://evil.example.org/", "javascript:alert(1)",
                       "objects", "/x\r\nSet-Cookie: a=b", "/redirect?to=https://evil.example.org", "/ob\u{85}jects"] {
            let attempt = try WebBrowser(world.registry).signIn("user@test.edu", WebWorld.password, next: unsafe)
            #expect(attempt.status == 303)
            #expect(attempt.headers["Location"] == "/", "next \(unsafe.debugDescription)")
        }

        // API-13: API-key headers mean nothing to HTML routes.
        let withKey = try world.anonymous.get("/objects", headers: world.adminCredentials.headers)
        #expect(withKey.status == 303 && withKey.headers["Location"] == "/login?next=%2Fobjects")
        // …and session cookies mean nothing to the API.
        let api = try world.admin.get("/api/v2/objects")
        #expect(api.status == 401)
    }

    @Test("DOM-51, DOM-55: a deactivated institution's sessions stop working; a deactivated user's are deleted")
    func deactivation() throws {
        let world = try WebWorld.start()
        let sql = try world.registry.sql()
        try sql.query("UPDATE institutions SET state = 'D', deactivated_at = now() WHERE identifier = 'example.org'")
        #expect(try world.otherAdmin.get("/").status == 303)
        try sql.query("UPDATE institutions SET state = 'A', deactivated_at = NULL WHERE identifier = 'example.org'")
        #expect(try world.otherAdmin.get("/").status == 200)  // until reactivated

        let userID = String(world.instUserCredentials.userID)
        #expect(try world.instAdmin.post("/users/\(userID)/deactivate").status == 303)
        #expect(try world.count("SELECT count(*) FROM sessions WHERE user_id = $1", [userID]) == 0)
        #expect(try world.count("SELECT count(*) FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL", [userID]) == 0)
        #expect(try world.instUser.get("/").status == 303)
    }
}
