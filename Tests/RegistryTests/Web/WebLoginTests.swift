import CryptoSupport
import Foundation
import Testing
import TestSupport

@Suite("HTML: login and lockout")
struct WebLoginTests {
    @Test("WEB-1, WEB-5, WEB-6: the form, a right password, the session cookie's flags and its stored hash")
    func rightPassword() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        _ = try registry.makeUser("admin@test.edu", role: "institutional_admin", institution: "test.edu")
        try registry.storePassword("admin@test.edu", WebWorld.password)
        try registry.sql().query("UPDATE users SET failed_login_count = 3 WHERE email = 'admin@test.edu'")
        let browser = WebBrowser(registry)

        let form = try browser.get("/login?next=%2Fobjects")
        #expect(form.status == 200)
        for field in [#"name="email""#, #"name="password""#, #"type="hidden" name="csrf_token""#,
                      #"type="hidden" name="next" value="/objects""#] {
            #expect(form.text.contains(field), "login form lacks \(field)")
        }
        let csrfCookie = try #require(form.headers.values("Set-Cookie").first { $0.hasPrefix("registry_csrf=") })
        #expect(csrfCookie.contains("HttpOnly") && csrfCookie.contains("SameSite=Strict"))  // WEB-15

        let response = try browser.signIn("ADMIN@test.edu", WebWorld.password, next: "/objects")
        #expect(response.status == 303)
        #expect(response.headers["Location"] == "/objects")
        let cookie = try #require(browser.lastSetCookies.first { $0.hasPrefix("registry_session=") })
        let parts = cookie.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(Set(parts.dropFirst()) == ["Path=/", "HttpOnly", "SameSite=Lax"])  // no Secure, no Expires/Max-Age
        let value = try #require(browser.cookies["registry_session"])
        #expect(value.count == 43 && value.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" })
        // Only the SHA-256 of the cookie is stored.
        let sql = try registry.sql()
        #expect(try sql.query("SELECT count(*) FROM sessions WHERE id_hash = sha256(convert_to($1, 'UTF8'))", [value])[0][0] == "1")
        let user = try sql.query("""
            SELECT failed_login_count, last_sign_in_at IS NOT NULL, split_part(password_hash, '$', 2)
            FROM users WHERE email = 'admin@test.edu'
            """)[0]
        #expect(user == ["0", "t", "600000"])  // WEB-3: re-hashed with the current iterations
        #expect(try sql.query("SELECT count(*) FROM audit_log WHERE action = 'login.success' AND actor_email = 'admin@test.edu'")[0][0] == "1")
        #expect(try browser.get("/objects").status == 200)

        // WEB-6: a new id at every login; the cookie presented before is not reused.
        let again = try browser.signIn("admin@test.edu", WebWorld.password)
        #expect(again.status == 303 && again.headers["Location"] == "/")
        #expect(browser.cookies["registry_session"] != value)
        #expect(try sql.query("SELECT count(*) FROM sessions WHERE id_hash = sha256(convert_to($1, 'UTF8'))", [value])[0][0] == "0")
    }

    @Test("WEB-1: every failure shows the same message with status 200 and writes login.failure")
    func failuresLookAlike() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("gone.edu")
        for email in ["a@test.edu", "nopassword@test.edu", "deactivated@test.edu", "b@gone.edu"] {
            _ = try registry.makeUser(email, role: "institutional_user", institution: email.hasSuffix("gone.edu") ? "gone.edu" : "test.edu")
            if email != "nopassword@test.edu" { try registry.storePassword(email, WebWorld.password) }
        }
        let sql = try registry.sql()
        try sql.query("UPDATE users SET deactivated_at = now() WHERE email = 'deactivated@test.edu'")
        try sql.query("UPDATE institutions SET state = 'D', deactivated_at = now() WHERE identifier = 'gone.edu'")

        let attempts = [("a@test.edu", "wrong password!"), ("unknown@test.edu", WebWorld.password),
                        ("nopassword@test.edu", WebWorld.password), ("deactivated@test.edu", WebWorld.password),
                        ("b@gone.edu", WebWorld.password)]
        var bodies: [String] = []
        for (email, password) in attempts {
            let browser = WebBrowser(registry)
            let response = try browser.signIn(email, password)
            #expect(response.status == 200, "\(email)")
            #expect(response.text.contains("Invalid e-mail or password."), "\(email)")
            #expect(browser.cookies["registry_session"] == nil)
            // The page differs only by the e-mail typed and the form token.
            bodies.append(response.text.replacingOccurrences(of: email, with: "E")
                .replacingOccurrences(of: #"value="[A-Za-z0-9_-]{43}""#, with: "", options: .regularExpression)
                .replacingOccurrences(of: #"request [0-9a-f]{32}"#, with: "", options: .regularExpression))
        }
        #expect(Set(bodies).count == 1)
        #expect(try sql.query("SELECT count(*) FROM audit_log WHERE action = 'login.failure'")[0][0] == "5")
        #expect(try sql.query("SELECT count(*) FROM sessions")[0][0] == "0")

        // A field that cannot be decoded (a NUL) counts as not sent: an e-mail with one fails like
        // any other (WEB-1), a `next` with one leads to `/` (WEB-10), and the form shows.
        let nulEmail = WebBrowser(registry)
        let failed = try nulEmail.signIn("a@test.edu\u{0}", WebWorld.password)
        #expect(failed.status == 200 && failed.text.contains("Invalid e-mail or password."))
        #expect(try sql.query("SELECT count(*) FROM audit_log WHERE action = 'login.failure'")[0][0] == "6")
        let nulNext = WebBrowser(registry)
        #expect(try nulNext.get("/login?next=%2Fobjects%00").status == 200)
        let signedIn = try nulNext.signIn("a@test.edu", WebWorld.password, next: "/objects\u{0}")
        #expect(signedIn.status == 303 && signedIn.headers["Location"] == "/")
    }

    @Test("WEB-2: ten consecutive failures lock the account for 15 minutes; then even the right password fails")
    func lockout() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        _ = try registry.makeUser("u@test.edu", role: "institutional_user", institution: "test.edu")
        try registry.storePassword("u@test.edu", WebWorld.password)
        let browser = WebBrowser(registry)
        for attempt in 1...10 {
            #expect(try browser.signIn("u@test.edu", "not the password \(attempt)").status == 200)
        }
        let sql = try registry.sql()
        let lock = try sql.query("""
            SELECT locked_until > now() + interval '14 minutes' AND locked_until <= now() + interval '15 minutes'
            FROM users WHERE email = 'u@test.edu'
            """)
        #expect(lock[0][0] == "t")
        let counted = "SELECT failed_login_count, locked_until IS NULL FROM users WHERE email = 'u@test.edu'"
        #expect(try sql.query(counted)[0] == ["10", "f"])
        let locked = try browser.signIn("u@test.edu", WebWorld.password)
        #expect(locked.status == 200 && locked.text.contains("Invalid e-mail or password."))
        #expect(browser.cookies["registry_session"] == nil)
        #expect(try sql.query(counted)[0] == ["10", "f"])

        // A failure after the lock has passed is the first of a new count.
        try sql.query("UPDATE users SET locked_until = now() - interval '1 second' WHERE email = 'u@test.edu'")
        #expect(try browser.signIn("u@test.edu", "wrong again").status == 200)
        #expect(try sql.query(counted)[0] == ["1", "t"])
        try sql.query("UPDATE users SET failed_login_count = 10, locked_until = now() + interval '15 minutes' WHERE email = 'u@test.edu'")

        // When the lock has passed, the right password works again and clears the counters.
        try sql.query("UPDATE users SET locked_until = now() - interval '1 second' WHERE email = 'u@test.edu'")
        #expect(try browser.signIn("u@test.edu", WebWorld.password).status == 303)
        #expect(try sql.query("SELECT failed_login_count, locked_until IS NULL FROM users WHERE email = 'u@test.edu'")[0] == ["0", "t"])
    }

    @Test("WEB-3: the test vector; a hash with fewer iterations is re-hashed on login")
    func passwordHashFormat() throws {
        let vector = PasswordHash.make(password: "correct horse battery staple", iterations: 600_000,
                                       salt: Array(0...15))
        #expect(vector == "pbkdf2-sha256$600000$AAECAwQFBgcICQoLDA0ODw$7xdxRO7JQgy8EJPSqLNEqSvFBtDU7JwCjdGfgyTYweY")
        #expect(PasswordHash.verify(password: "correct horse battery staple", against: vector))
        #expect(PasswordHash.needsRehash(PasswordHash.make(password: "x", iterations: 1000)))
    }

    @Test("WEB-5, WEB-17: COOKIE_SECURE=true adds Secure; an https PUBLIC_BASE_URL adds Secure and HSTS")
    func secureCookies() throws {
        // The third: WEB-15 compares origins as browsers send them (host case, default port).
        for environment in [["COOKIE_SECURE": "true"], ["PUBLIC_BASE_URL": "https://registry.example.org"],
                            ["PUBLIC_BASE_URL": "https://Registry.Example.org:443"]] {
            let registry = try TestRegistry.start(environment: environment)
            try registry.makeInstitution("test.edu")
            _ = try registry.makeUser("u@test.edu", role: "institutional_user", institution: "test.edu")
            try registry.storePassword("u@test.edu", WebWorld.password)
            let browser = WebBrowser(registry)
            if environment["PUBLIC_BASE_URL"] != nil {
                browser.extraHeaders = [("Origin", "https://registry.example.org")]
            }
            #expect(try browser.signIn("u@test.edu", WebWorld.password).status == 303)
            let cookie = try #require(browser.lastSetCookies.first { $0.hasPrefix("registry_session=") })
            #expect(cookie.hasSuffix("; Secure"))
            let page = try browser.get("/")
            #expect((page.headers["Strict-Transport-Security"] != nil) == (environment["PUBLIC_BASE_URL"] != nil))
            // Static files follow the same rule as pages.
            let css = try browser.get("/static/app.css")
            #expect(css.status == 200)
            #expect((css.headers["Strict-Transport-Security"] != nil) == (environment["PUBLIC_BASE_URL"] != nil))
        }
    }

    @Test("A burst of sign-in attempts beyond the password-hashing gate is refused (503, Retry-After) before any work; the API keeps answering")
    func burstBeyondHashingGate() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let worker = try registry.makeUser("worker@test.edu", role: "admin", institution: "test.edu")
        let browser = WebBrowser(registry)
        let form = try browser.get("/login")
        let token = try #require(WebBrowser.csrfToken(in: form.text, form: "/login"))
        let cookie = try #require(browser.cookies["registry_csrf"])
        let body = WebBrowser.formEncode([("csrf_token", token), ("email", "nobody@test.edu"),
                                          ("password", "not a password at all")])
        let request = "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            + "Cookie: registry_csrf=\(cookie)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)"

        // 40 attempts at once: each costs a PBKDF2 run (about 0.1 s), one runs at a time on this
        // machine's 2 cores and 8 may wait, so most of the burst finds the gate full.
        let clients = try (0..<40).map { _ in try registry.client(receiveTimeout: 60) }
        for client in clients { try client.send(request) }
        // A worker's API call during the burst still gets a responder thread and its answer.
        let api = try registry.client(receiveTimeout: 60)
        #expect(try api.request(method: "GET", path: "/api/v2/institutions", headers: worker.headers).status == 200)
        let responses = try clients.map { try $0.readResponse() }

        let refused = responses.filter { $0.status == 503 }
        let answered = responses.filter { $0.status == 200 }
        #expect(refused.count + answered.count == 40, "\(responses.map(\.status))")
        #expect(!refused.isEmpty)
        #expect(!answered.isEmpty)
        for response in refused {
            #expect(response.headers["Retry-After"] == "1")
            #expect(response.text.contains("Too many sign-in attempts are in progress; try again shortly."))
        }
        for response in answered { #expect(response.text.contains("Invalid e-mail or password.")) }
        // Only the attempts that were checked are recorded (WEB-1); a refused one did no work.
        let sql = try registry.sql()
        #expect(try sql.query("SELECT count(*) FROM audit_log WHERE action = 'login.failure'")[0][0] == String(answered.count))

        // The gate is free again afterwards.
        #expect(try WebBrowser(registry).signIn("nobody@test.edu", "not a password at all").status == 200)
    }
}
