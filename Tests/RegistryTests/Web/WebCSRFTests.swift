import Foundation
import Testing
import TestSupport

@Suite("HTML: CSRF")
struct WebCSRFTests {
    @Test("WEB-15: a missing, wrong or foreign-origin token is a 403 page and changes nothing")
    func signedInForms() throws {
        let world = try WebWorld.start()
        let target = String(world.instUserCredentials.userID)
        let token = try world.instAdmin.currentToken()
        let attempts: [(String, [(name: String, value: String)])] = [
            ("", []),                                            // missing
            (String(token.reversed()), []),                      // wrong
            (token, [("Origin", "https://evil.example.org")]),   // right token, foreign origin
            (token, [("Origin", "null")]),
        ]
        for (csrf, headers) in attempts {
            let response = try world.instAdmin.post("/users/\(target)/deactivate", csrf: csrf, headers: headers)
            #expect(response.status == 403)
            #expect(response.text.contains("Invalid or missing form token."))
            #expect(response.headers["Content-Type"] == "text/html; charset=utf-8")
        }
        #expect(try world.count("SELECT count(*) FROM users WHERE id = $1 AND deactivated_at IS NULL", [target]) == 1)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'user.deactivate'") == 0)
        // Logout without the token keeps the session.
        #expect(try world.instUser.post("/logout", csrf: "").status == 403)
        #expect(try world.instUser.get("/").status == 200)

        // The same request with the token and our own origin works.
        let origin = "http://127.0.0.1:\(world.registry.port)"
        let accepted = try world.instAdmin.post("/users/\(target)/deactivate", headers: [("Origin", origin)])
        #expect(accepted.status == 303)
        #expect(try world.count("SELECT count(*) FROM users WHERE id = $1 AND deactivated_at IS NOT NULL", [target]) == 1)

        // A field that cannot be decoded (here a NUL) counts as not sent: the form's own 422 (from
        // another origin still the 403); nothing is created either way.
        let nul = [("name", "a\u{0}b"), ("email", "nul@test.edu"), ("role", "institutional_user")]
        let malformed = try world.instAdmin.post("/users", nul)
        #expect(malformed.status == 422)
        #expect(malformed.text.contains("can&#39;t be blank"))
        // A body of another media type holds no token we could read: the 403, also from our own
        // origin (the CSRF check comes first, DOM-96b step 1).
        for type in ["text/plain", "application/json", "multipart/form-data; boundary=x"] {
            let typed = try world.instAdmin.post("/users", nul, headers: [("Content-Type", type)])
            #expect(typed.status == 403, "\(type)")
            #expect(typed.text.contains("Invalid or missing form token."))
        }
        #expect(try world.instAdmin.post("/users", nul, headers: [("Origin", "https://evil.example.org")]).status == 403)
        #expect(try world.count("SELECT count(*) FROM users WHERE email = 'nul@test.edu'") == 0)
    }

    @Test("WEB-15: the anonymous forms need the double-submit cookie and field to match")
    func anonymousForms() throws {
        let world = try WebWorld.start()
        let browser = WebBrowser(world.registry)
        _ = try browser.get("/login")
        let cookie = try #require(browser.cookies["registry_csrf"])
        let fields = [("email", "user@test.edu"), ("password", WebWorld.password)]
        let logins = "SELECT count(*) FROM audit_log WHERE action LIKE 'login.%'"
        let before = try world.count(logins)
        #expect(try browser.post("/login", fields, csrf: "").status == 403)
        #expect(try browser.post("/login", fields, csrf: (cookie.first == "x" ? "y" : "x") + cookie.dropFirst()).status == 403)
        browser.setCookie("registry_csrf", nil)
        #expect(try browser.post("/login", fields, csrf: cookie).status == 403)
        #expect(try world.count(logins) == before)
        for path in ["/password/forgot", "/password/set"] {
            let response = try browser.post(path, [("email", "user@test.edu")], csrf: "")
            #expect(response.status == 403 && response.text.contains("Invalid or missing form token."))
        }
        #expect(try world.count("SELECT count(*) FROM password_tokens") == 0)
        browser.setCookie("registry_csrf", cookie)
        #expect(try browser.post("/login", fields, csrf: cookie).status == 303)

        // Signed in, the login page also shows the layout's sign-out form with the session's token,
        // first on the page: either token submits the login form (a new session id, WEB-6).
        let firstSession = try #require(browser.cookies["registry_session"])
        let page = try browser.get("/login")
        let firstToken = try #require(WebBrowser.csrfToken(in: page.text))
        #expect(firstToken != cookie)
        #expect(try browser.post("/login", fields, csrf: firstToken).status == 303)
        let secondSession = try #require(browser.cookies["registry_session"])
        #expect(secondSession != firstSession)
        #expect(try browser.post("/login", fields, csrf: cookie).status == 303)
        let wrong = (firstToken.first == "x" ? "y" : "x") + firstToken.dropFirst()
        #expect(try browser.post("/login", fields, csrf: wrong).status == 403)
    }
}
