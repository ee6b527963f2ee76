import Foundation
import Testing
import TestSupport

/// domain.md §7.3 row 7: user JSON could include OTP and secret columns.
extension PharosDefectTests {
    /// Field names a representation of a user or key must never carry (DOM-56), including Pharos's
    /// Devise columns.
    static let secretFieldNames: Set<String> = [
        "password", "password_hash", "encrypted_password", "key", "key_hash", "api_key", "encrypted_api_secret_key",
        "token", "token_hash", "reset_password_token", "confirmation_token", "authentication_token", "csrf_token",
        "otp_secret", "encrypted_otp_secret", "encrypted_otp_secret_iv", "encrypted_otp_secret_salt", "otp_required_for_login",
        "consumed_timestep", "otp_backup_codes", "failed_login_count", "failed_attempts", "locked_until", "locked_at",
    ]

    @Test("§7.3 row 7 / DOM-56 / DOM-57: no API answer and no audit row about users or keys holds a password, key, hash, token or lockout counter")
    func noSecretsAboutUsersOrKeys() throws {
        let world = try AlertWorld.start()
        let password = "correct horse battery staple 42"
        let created = try world.registry.cli(["create", "user", "--email", "keyholder@test.edu", "--name", "Key Holder",
                                              "--institution", "test.edu", "--role", "institutional_admin", "--password-stdin"],
                                             stdin: password)
        #expect(created.status == 0, "\(created.stderr)")
        let issued = try world.registry.cli(["create", "api-key", "--email", "keyholder@test.edu", "--label", "second",
                                             "--expires-days", "30"])
        #expect(issued.status == 0, "\(issued.stderr)")
        let keys = [created.stdout, issued.stdout].map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        #expect(keys.allSatisfy { $0.count == 64 })
        let holder: [(name: String, value: String)] = [("X-Pharos-API-User", "keyholder@test.edu"), ("X-Pharos-API-Key", keys[0])]
        let stored = try world.sql("""
            SELECT encode(key_hash, 'hex'), encode(key_hash, 'base64'), u.password_hash
            FROM api_keys k JOIN users u ON u.id = k.user_id WHERE u.email = 'keyholder@test.edu'
            """)
        #expect(stored.count == 2)
        let secrets = keys + keys.map { $0.uppercased() } + [password] + stored.flatMap { $0.compactMap { $0 } }

        let client = try world.registry.client()
        var answers: [(String, TestHTTPResponse)] = []
        // The key works; presenting it wrongly fails (and is audited without the key, API-12).
        answers.append(("holder institutions", try client.request(method: "GET", path: "/api/v2/institutions/", headers: holder)))
        #expect(answers[0].1.status == 200)
        for wrong in [keys[0].uppercased(), keys[1] + "0"] {
            let refused = try client.request(method: "GET", path: "/api/v2/items/",
                                             headers: [("X-Pharos-API-User", "keyholder@test.edu"), ("X-Pharos-API-Key", wrong)])
            #expect(refused.status == 401)
            answers.append(("refused", refused))
        }
        for path in ["/audit/log?per_page=1000", "/audit/log?action=api_key.issue", "/audit/log?action=user.create",
                     "/audit/log?action=api_auth.failure", "/audit/log?resource_type=api_key", "/audit/log?actor=keyholder%40test.edu",
                     "/items/?per_page=1000", "/deletions/?per_page=1000"] {
            answers.append((path, try client.request(method: "GET", path: "/api/v2" + path, headers: world.admin.headers)))
            answers.append((path + " (holder)", try client.request(method: "GET", path: "/api/v2" + path, headers: holder)))
        }
        // Positive control: the key issues and the user creation are in the log the holder can read.
        let issues = try answers.first { $0.0 == "/audit/log?action=api_key.issue (holder)" }?.1.results() ?? []
        #expect(issues.count == 2)
        #expect(issues.allSatisfy { Set((($0["details"] as? [String: Any]) ?? [:]).keys) == ["label", "key_id"] })

        for (name, answer) in answers {
            #expect(answer.status == 200 || answer.status == 401, "\(name): \(answer.status)")
            for secret in secrets { #expect(!answer.text.contains(secret), "\(name) contains a secret") }
            let names = Self.fieldNames(in: try? answer.json)
            #expect(names.isDisjoint(with: Self.secretFieldNames), "\(name): \(names.intersection(Self.secretFieldNames))")
        }
        for secret in secrets {
            #expect(try world.scalar("SELECT count(*) FROM audit_log a WHERE a::text LIKE '%' || $1 || '%'", [secret]) == "0")
            #expect(!world.registry.log().contains(secret), "server log contains a secret")
        }
    }

    /// Every object member name at any depth of a parsed JSON value.
    static func fieldNames(in value: Any?) -> Set<String> {
        switch value {
        case let object as [String: Any]:
            return object.reduce(into: Set(object.keys)) { names, member in names.formUnion(fieldNames(in: member.value)) }
        case let array as [Any]:
            return array.reduce(into: Set<String>()) { names, element in names.formUnion(fieldNames(in: element)) }
        default:
            return []
        }
    }
}
