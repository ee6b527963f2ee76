import Foundation
import Testing
import TestSupport

@Suite("HTML: users and API keys")
struct WebUserActionTests {
    @Test("WEB-41, WEB-9: an inst admin creates a user in their own institution; the welcome link is shown once, no-store")
    func createUser() throws {
        let world = try WebWorld.start()
        let form = try world.instAdmin.get("/users/new")
        #expect(form.status == 200 && !form.text.contains(#"id="institution""#))  // only admins choose
        #expect(!form.text.contains(#"value="admin""#))  // roles the caller may grant

        let created = try world.instAdmin.post("/users", [("name", "New Person"), ("email", "New@Test.edu"),
                                                         ("role", "institutional_user"), ("institution", "example.org")])
        #expect(created.status == 200)
        #expect(created.headers["Cache-Control"] == "no-store")
        let link = try #require(created.text.range(of: #"http://[^"]+/password/set\?token=[0-9a-f]{64}"#, options: .regularExpression)
            .map { String(created.text[$0]) })
        IssuedSecrets.recordHexTokens(in: link)
        let row = try world.registry.sql().query("""
            SELECT i.identifier, u.role, u.password_hash IS NULL FROM users u JOIN institutions i ON i.id = u.institution_id
            WHERE u.email = 'new@test.edu'
            """)
        #expect(row == [["test.edu", "institutional_user", "t"]])  // the institution sent was ignored
        let notification = try world.registry.sql().query("""
            SELECT notification_type, recipients::text, position($1 IN body) > 0 FROM notifications ORDER BY id DESC LIMIT 1
            """, [link])
        #expect(notification == [["welcome", "{new@test.edu}", "t"]])
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'user.create'") == 1)

        // The link sets the password once.
        let stranger = WebBrowser(world.registry)
        let path = String(link[link.range(of: "/password/set")!.lowerBound...])
        #expect(try stranger.get(path).status == 200)
        let weak = try stranger.post("/password/set", [("token", String(path.suffix(64))), ("new_password", "short"),
                                                        ("new_password_confirmation", "short")])
        #expect(weak.status == 422 && weak.text.contains("is too short"))
        let mismatch = try stranger.post("/password/set", [("token", String(path.suffix(64))), ("new_password", "a long enough password"),
                                                            ("new_password_confirmation", "another long password")])
        #expect(mismatch.status == 422 && mismatch.text.contains(#"aria-describedby="new_password_confirmation-error""#))
        let set = try stranger.post("/password/set", [("token", String(path.suffix(64))), ("new_password", "a long enough password"),
                                                       ("new_password_confirmation", "a long enough password")])
        #expect(set.status == 303 && set.headers["Location"] == "/login")
        #expect(try stranger.get(path).status == 409)  // single use: the token check (DOM-96b)
        #expect(try stranger.get("/password/set?token=nonsense").status == 400)
        #expect(try WebBrowser(world.registry).signIn("new@test.edu", "a long enough password").status == 303)

        // Errors: invalid e-mail and duplicate → 422 with the values kept; a role the caller may not grant → 403.
        let invalid = try world.instAdmin.post("/users", [("name", "X"), ("email", "not-an-email"), ("role", "institutional_user")])
        #expect(invalid.status == 422 && invalid.text.contains("href=\"#email\"") && invalid.text.contains("not-an-email"))
        // The error summary follows the form's order: name, then e-mail.
        let both = try world.instAdmin.post("/users", [("name", " "), ("email", "not-an-email"), ("role", "institutional_user")])
        let nameLink = try #require(both.text.range(of: "href=\"#name\""))
        let emailLink = try #require(both.text.range(of: "href=\"#email\""))
        #expect(both.status == 422 && nameLink.lowerBound < emailLink.lowerBound)
        let duplicate = try world.instAdmin.post("/users", [("name", "Y"), ("email", "new@test.edu"), ("role", "institutional_user")])
        #expect(duplicate.status == 422 && duplicate.text.contains("has already been taken"))
        #expect(try world.instAdmin.post("/users", [("name", "Z"), ("email", "z@test.edu"), ("role", "admin")]).status == 403)
        #expect(try world.instUser.post("/users", [("name", "Z"), ("email", "z@test.edu"), ("role", "institutional_user")]).status == 403)
        // An admin chooses the institution.
        let byAdmin = try world.admin.post("/users", [("name", "Other"), ("email", "o2@example.org"), ("role", "institutional_admin"),
                                                      ("institution", "example.org")])
        #expect(byAdmin.status == 200)
        #expect(try world.value("SELECT i.identifier FROM users u JOIN institutions i ON i.id = u.institution_id WHERE u.email = 'o2@example.org'") == "example.org")
    }

    @Test("WEB-40, §7.3: role change, deactivate and reactivate follow the matrix against the target; never oneself")
    func roleAndActivation() throws {
        let world = try WebWorld.start()
        let user = world.instUserCredentials.userID, instAdmin = world.instAdminCredentials.userID
        let other = world.otherAdminCredentials.userID, admin = world.adminCredentials.userID

        // Inst admin of test.edu: own non-admin user yes; to admin 403; another institution's user 404; an admin 404; self 403.
        #expect(try world.instAdmin.post("/users/\(user)/role", [("role", "institutional_admin")]).status == 303)
        #expect(try world.value("SELECT role FROM users WHERE id = $1", [String(user)]) == "institutional_admin")
        #expect(try world.instAdmin.post("/users/\(user)/role", [("role", "admin")]).status == 403)
        // WEB-43a: "DOM-40 value the caller may grant, else 403": a non-role too.
        #expect(try world.instAdmin.post("/users/\(user)/role", [("role", "superuser")]).status == 403)
        let blank = try world.instAdmin.post("/users/\(user)/role", [("role", "")])
        #expect(blank.status == 422)
        // WEB-21: the error is listed at the top and attached to the field.
        #expect(blank.text.contains(#"aria-describedby="role-error""#))
        #expect(blank.text.contains(#"<span id="role-error" class="field-error">can&#39;t be blank</span>"#))
        #expect(try world.instAdmin.post("/users/\(other)/deactivate").status == 404)
        #expect(try world.instAdmin.post("/users/\(admin)/deactivate").status == 404)
        // §7.3: an admin whose account belongs to the inst admin's own institution is not visible either.
        let localAdmin = try world.registry.makeUser("local-admin@test.edu", role: "admin", institution: "test.edu").userID
        #expect(try world.instAdmin.post("/users/\(localAdmin)/deactivate").status == 404)
        #expect(try world.instAdmin.post("/users/\(localAdmin)/role", [("role", "institutional_user")]).status == 404)
        #expect(try world.instAdmin.get("/users/\(localAdmin)").status == 404)
        let userList = try world.instAdmin.get("/users")
        #expect(userList.status == 200 && !userList.text.contains("local-admin@test.edu") && userList.text.contains("admin@test.edu"))
        #expect(try world.admin.get("/users/\(localAdmin)").status == 200)
        #expect(try world.instAdmin.post("/users/\(instAdmin)/deactivate").status == 403)
        #expect(try world.instAdmin.post("/users/\(instAdmin)/role", [("role", "institutional_user")]).status == 403)
        #expect(try world.admin.post("/users/\(admin)/deactivate").status == 403)
        #expect(try world.instUser.post("/users/\(user)/role", [("role", "institutional_user")]).status == 403)
        #expect(try world.count("SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL") == 0)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'user.role_change'") == 1)
        // DOM-82: a request that succeeds without changing anything still writes its one row.
        #expect(try world.instAdmin.post("/users/\(user)/role", [("role", "institutional_admin")]).status == 303)
        #expect(try world.value("""
            SELECT details::text FROM audit_log WHERE action = 'user.role_change' ORDER BY id DESC LIMIT 1
            """) == #"{"changes": {}}"#)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'user.role_change'") == 2)

        // The admin may act on anyone else. Deactivation also uses up the user's reset links (DOM-55).
        #expect(try world.admin.post("/users/\(other)/password-reset").status == 303)
        IssuedSecrets.recordHexTokens(in: try world.value("SELECT string_agg(body, ' ') FROM notifications") ?? "")
        let outstanding = "SELECT count(*) FROM password_tokens WHERE user_id = $1 AND used_at IS NULL"
        #expect(try world.count(outstanding, [String(other)]) == 1)
        #expect(try world.admin.post("/users/\(other)/deactivate").status == 303)
        #expect(try world.count(outstanding, [String(other)]) == 0)
        #expect(try world.count("SELECT count(*) FROM users WHERE id = $1 AND deactivated_at IS NOT NULL", [String(other)]) == 1)
        #expect(try world.otherAdmin.get("/").status == 303)  // DOM-55: their sessions are gone
        let api = try world.registry.client().request(method: "GET", path: "/api/v2/items", headers: world.otherAdminCredentials.headers)
        #expect(api.status == 401)  // and their keys revoked
        let page = try world.admin.get("/users/\(other)")
        #expect(page.text.contains("Deactivated") && page.text.contains("/reactivate"))
        // DOM-96b: a permitted action on a deactivated user fails its state check (409), not the permission.
        #expect(try world.admin.post("/users/\(other)/password-reset").status == 409)
        #expect(try world.admin.post("/users/\(other)/api-keys", [("label", "late")]).status == 409)
        // …and an invalid form its validity (422) before that state (DOM-96b 4 before 5).
        #expect(try world.admin.post("/users/\(other)/api-keys", [("label", " ")]).status == 422)
        #expect(try world.admin.post("/users/\(other)/reactivate").status == 303)
        #expect(try world.count("SELECT count(*) FROM users WHERE deactivated_at IS NOT NULL") == 0)
        for action in ["user.deactivate", "user.reactivate"] {
            #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = $1", [action]) == 1)
        }
        // Buttons are shown only where they work.
        #expect(!(try world.instAdmin.get("/users/\(instAdmin)")).text.contains("/deactivate"))
        #expect(try world.instAdmin.get("/users/\(user)").text.contains("/deactivate"))
    }

    @Test("WEB-42, WEB-43: a key is shown once (200, no-store), works, shows only its prefix afterwards; revoke stops it at once")
    func apiKeys() throws {
        let world = try WebWorld.start()
        let user = world.instUserCredentials.userID
        // Inst users issue keys for themselves only; the inst admin may not issue one for their user (403).
        #expect(try world.instAdmin.post("/users/\(user)/api-keys", [("label", "for you")]).status == 403)
        let issued = try world.instUser.post("/users/\(user)/api-keys", [("label", "laptop"), ("expires_days", "30")])
        #expect(issued.status == 200)
        #expect(issued.headers["Cache-Control"] == "no-store")
        #expect(issued.text.contains("Copy this key now. It will not be shown again."))
        let key = try #require(issued.text.range(of: #"value="[0-9a-f]{64}""#, options: .regularExpression)
            .map { String(issued.text[$0].dropFirst(7).dropLast()) })
        IssuedSecrets.record(key)
        let api = try world.registry.client().request(method: "GET", path: "/api/v2/items",
                                                      headers: [("X-Pharos-API-User", "user@test.edu"), ("X-Pharos-API-Key", key)])
        #expect(api.status == 200)
        let audit = try #require(try world.value("SELECT details::text FROM audit_log WHERE action = 'api_key.issue' ORDER BY id DESC LIMIT 1"))
        #expect(audit.contains("laptop") && !audit.contains(key))
        #expect(try world.count("SELECT count(*) FROM api_keys WHERE label = 'laptop' AND expires_at BETWEEN now() + interval '29 days' AND now() + interval '31 days'") == 1)
        // Revisiting shows only the prefix.
        let account = try world.instUser.get("/account")
        #expect(!account.text.contains(key) && account.text.contains(String(key.prefix(8))))
        // Validation: 422 with the errors next to the fields.
        let invalid = try world.instUser.post("/users/\(user)/api-keys", [("label", ""), ("expires_days", "9999")])
        #expect(invalid.status == 422 && invalid.text.contains("label-error") && invalid.text.contains("expires_days-error"))
        // 60 flags are 60 characters but 120 code points, which the database's limit counts: a 422, not a 500.
        let flags = try world.instUser.post("/users/\(user)/api-keys", [("label", String(repeating: "\u{1F1E9}\u{1F1EA}", count: 60))])
        #expect(flags.status == 422 && flags.text.contains("label-error"))

        let keyID = try #require(try world.value("SELECT id FROM api_keys WHERE label = 'laptop'"))
        #expect(try world.otherAdmin.post("/api-keys/\(keyID)/revoke").status == 404)  // owner not visible
        let revoked = try world.instAdmin.post("/api-keys/\(keyID)/revoke")  // own non-admin user's key
        #expect(revoked.status == 303 && revoked.headers["Location"] == "/users/\(user)")
        let after = try world.registry.client().request(method: "GET", path: "/api/v2/items",
                                                        headers: [("X-Pharos-API-User", "user@test.edu"), ("X-Pharos-API-Key", key)])
        #expect(after.status == 401)
        #expect(try world.count("SELECT count(*) FROM api_keys WHERE id = $1 AND revoked_by_id = $2", [keyID, String(world.instAdminCredentials.userID)]) == 1)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.revoke'") == 1)
        // Revoking it again succeeds (DOM-82: recorded as such).
        #expect(try world.instAdmin.post("/api-keys/\(keyID)/revoke").status == 303)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'api_key.revoke' AND details->>'already_revoked' = 'true'") == 1)
        // An inst admin may not revoke an admin's key (not visible) nor another inst admin's? (own non-admin users: yes).
        let adminKey = try #require(try world.value("SELECT id FROM api_keys WHERE user_id = $1", [String(world.adminCredentials.userID)]))
        #expect(try world.instAdmin.post("/api-keys/\(adminKey)/revoke").status == 404)
        let userKey = try #require(try world.value("SELECT id FROM api_keys WHERE user_id = $1 AND revoked_at IS NULL", [String(user)]))
        #expect(try world.instUser.post("/api-keys/\(userKey)/revoke").status == 303)  // self
    }

    @Test("WEB-8, WEB-9: password change ends the other sessions; forgot-password always answers alike")
    func passwords() throws {
        let world = try WebWorld.start()
        let second = WebBrowser(world.registry)
        #expect(try second.signIn("user@test.edu", WebWorld.password).status == 303)
        let wrong = try world.instUser.post("/account/password", [("current_password", "nope"), ("new_password", "new password 123"),
                                                                   ("new_password_confirmation", "new password 123")])
        #expect(wrong.status == 422 && wrong.text.contains("current_password-error"))
        let sameAsEmail = try world.instUser.post("/account/password", [("current_password", WebWorld.password),
                                                                         ("new_password", "USER@test.edu"),
                                                                         ("new_password_confirmation", "USER@test.edu")])
        #expect(sameAsEmail.status == 422)
        IssuedSecrets.record("new password 123")
        let changed = try world.instUser.post("/account/password", [("current_password", WebWorld.password),
                                                                     ("new_password", "new password 123"),
                                                                     ("new_password_confirmation", "new password 123")])
        #expect(changed.status == 303 && changed.headers["Location"] == "/account")
        #expect(try world.instUser.get("/account").status == 200)   // this session stays
        #expect(try second.get("/account").status == 303)           // the other one ended
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'user.password_change'") == 1)

        let forgot = WebBrowser(world.registry)
        _ = try forgot.get("/password/forgot")
        let known = try forgot.post("/password/forgot", [("email", "user@test.edu")])
        let unknown = try forgot.post("/password/forgot", [("email", "nobody@test.edu")])
        try world.registry.sql().query("UPDATE users SET deactivated_at = now() WHERE email = 'admin@example.org'")
        let inactive = try forgot.post("/password/forgot", [("email", "admin@example.org")])
        for response in [known, unknown, inactive] {
            // WEB-16: 303 to the form, whose next view shows WEB-9's one answer once.
            #expect(response.status == 303 && response.headers["Location"] == "/password/forgot")
        }
        let shown = try forgot.get("/password/forgot")
        #expect(shown.status == 200 && shown.text.contains("If the account exists, a reset link has been queued."))
        #expect(!(try forgot.get("/password/forgot")).text.contains("a reset link has been queued"))
        #expect(try world.count("SELECT count(*) FROM password_tokens WHERE purpose = 'reset'") == 1)
        // DOM-82: each succeeded and is recorded; for addresses with no active account, with the
        // address asked for and no user, at most once a minute per client (anyone can send them).
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'user.password_reset_request' AND status = 303") == 2)
        #expect(try world.count("""
            SELECT count(*) FROM audit_log WHERE action = 'user.password_reset_request' AND resource_id IS NULL
                AND details->>'claimed_email' = 'nobody@test.edu'
            """) == 1)
        #expect(try world.count("SELECT count(*) FROM notifications WHERE notification_type = 'password_reset' AND recipients = '{user@test.edu}'") == 1)
        let body = try #require(try world.value("SELECT body FROM notifications WHERE notification_type = 'password_reset'"))
        IssuedSecrets.recordHexTokens(in: body)
        #expect(body.contains("/password/set?token="))

        // A password changed by any path uses up the reset links still outstanding (single use).
        let link = try #require(body.range(of: #"/password/set\?token=[0-9a-f]{64}"#, options: .regularExpression)
            .map { String(body[$0]) })
        #expect(try forgot.get(link).status == 200)
        IssuedSecrets.record("another password 456")
        let again = try world.instUser.post("/account/password", [("current_password", "new password 123"),
                                                                  ("new_password", "another password 456"),
                                                                  ("new_password_confirmation", "another password 456")])
        #expect(again.status == 303)
        #expect(try forgot.get(link).status == 409)
        #expect(try world.count("SELECT count(*) FROM password_tokens WHERE used_at IS NULL") == 0)
    }
}
