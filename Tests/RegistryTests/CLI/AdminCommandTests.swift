import Foundation
import Testing
import TestSupport

/// The bootstrap commands of operations.md §3 against a real database (exit codes, stdout, effects).
@Suite("registry create / institution / set-password")
struct AdminCommandTests {
    private func environment(_ conninfo: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["DATABASE_URL"] = TestRegistry.url(fromConninfo: conninfo)
        environment["LOG_LEVEL"] = "warn"
        return environment
    }

    @Test("OPS-22: create institution prints the id, creates its chain head, refuses bad input without side effects")
    func createInstitution() throws {
        let conninfo = try TestPostgres.freshDatabase(prefix: "cli")
        let env = environment(conninfo)
        let member = try TestRegistry.runCLI(["create", "institution", "--identifier", "test.edu", "--name", "Test"], environment: env)
        #expect(member.status == 0)
        #expect(Int(member.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) != nil)
        let subscriber = try TestRegistry.runCLI(["create", "institution", "--identifier", "sub.test.edu", "--name", "Sub",
                                                  "--type", "subscriber", "--parent", "test.edu"], environment: env)
        #expect(subscriber.status == 0)
        // Usage errors: exit 2.
        #expect(try TestRegistry.runCLI(["create", "institution", "--identifier", "a.edu", "--name", "A", "--type", "subscriber"],
                                        environment: env).status == 2)
        #expect(try TestRegistry.runCLI(["create", "institution", "--identifier", "b.edu", "--name", "B", "--parent", "test.edu"],
                                        environment: env).status == 2)
        // Failures: exit 1.
        for arguments in [["--identifier", "Test.edu", "--name", "X"], ["--identifier", "test", "--name", "X"],
                          ["--identifier", "test.edu", "--name", "Another"], ["--identifier", "c.edu", "--name", "test"],
                          ["--identifier", "d.edu", "--name", "D", "--type", "subscriber", "--parent", "sub.test.edu"],
                          ["--identifier", "e.edu", "--name", "E", "--type", "subscriber", "--parent", "nope.edu"]] {
            let result = try TestRegistry.runCLI(["create", "institution"] + arguments, environment: env)
            #expect(result.status == 1, "\(arguments)")
            #expect(result.stdout.isEmpty)
        }
        let sql = try TestSQLConnection(conninfo: conninfo)
        #expect(try sql.scalar("SELECT count(*) FROM institutions") == "2")
        #expect(try sql.scalar("SELECT count(*) FROM event_chain_heads") == "2")
        #expect(try sql.scalar("SELECT receiving_bucket FROM institutions WHERE identifier = 'test.edu'") == "aptrust.receiving.test.edu")
        #expect(try sql.scalar("SELECT count(*) FROM audit_log WHERE action = 'institution.create' AND auth_method = 'cli'") == "2")
    }

    @Test("OPS-23/24: create user prints only the key, stored as its SHA-256 (DOM-57); api-key issues another")
    func createUserAndKeys() throws {
        let conninfo = try TestPostgres.freshDatabase(prefix: "cli")
        let env = environment(conninfo)
        _ = try TestRegistry.runCLI(["create", "institution", "--identifier", "test.edu", "--name", "Test"], environment: env)
        let created = try TestRegistry.runCLI(["create", "user", "--email", "Admin@Test.edu", "--name", "Admin",
                                               "--institution", "test.edu", "--role", "admin"], environment: env)
        #expect(created.status == 0)
        let key = created.stdout.trimmingCharacters(in: .newlines)
        #expect(key.count == 64 && key.allSatisfy { $0.isHexDigit && !$0.isUppercase })
        let sql = try TestSQLConnection(conninfo: conninfo)
        #expect(try sql.scalar("SELECT email FROM users") == "admin@test.edu")
        #expect(try sql.scalar("SELECT octet_length(key_hash) = 32 AND key_hash = sha256(convert_to($1, 'UTF8')) FROM api_keys",
                               [key]) == "t")
        let another = try TestRegistry.runCLI(["create", "api-key", "--email", "ADMIN@test.edu", "--label", "second",
                                               "--expires-days", "30"], environment: env)
        #expect(another.status == 0)
        #expect(another.stdout.trimmingCharacters(in: .newlines) != key)
        #expect(try sql.scalar("SELECT count(*) FROM api_keys WHERE expires_at > now() + interval '29 days'") == "1")
        // The key never appears in the audit rows (DOM-57).
        #expect(try sql.scalar("SELECT count(*) FROM audit_log WHERE details::text LIKE '%' || $1 || '%'", [key]) == "0")
        // Failures.
        #expect(try TestRegistry.runCLI(["create", "user", "--email", "admin@test.edu", "--name", "Again",
                                         "--institution", "test.edu", "--role", "admin"], environment: env).status == 1)
        #expect(try TestRegistry.runCLI(["create", "user", "--email", "x@test.edu", "--name", "X",
                                         "--institution", "test.edu", "--role", "superuser"], environment: env).status == 1)
        #expect(try TestRegistry.runCLI(["create", "api-key", "--email", "nobody@test.edu"], environment: env).status == 1)
        // No key for a deactivated user: it would come alive at a reactivation.
        try sql.query("UPDATE users SET deactivated_at = now() WHERE email = 'admin@test.edu'")
        let keys = try sql.scalar("SELECT count(*) FROM api_keys")
        let refused = try TestRegistry.runCLI(["create", "api-key", "--email", "admin@test.edu"], environment: env)
        #expect(refused.status == 1 && refused.stdout.isEmpty)
        #expect(try sql.scalar("SELECT count(*) FROM api_keys") == keys)
    }

    @Test("OPS-23/25: passwords from stdin follow WEB-4 and are stored as PBKDF2 (WEB-3)")
    func passwords() throws {
        let conninfo = try TestPostgres.freshDatabase(prefix: "cli")
        let env = environment(conninfo)
        _ = try TestRegistry.runCLI(["create", "institution", "--identifier", "test.edu", "--name", "Test"], environment: env)
        let created = try TestRegistry.runCLI(["create", "user", "--email", "u@test.edu", "--name", "U", "--institution",
                                               "test.edu", "--role", "institutional_user", "--password-stdin"],
                                              environment: env, stdin: "correct horse battery staple\n")
        #expect(created.status == 0)
        let sql = try TestSQLConnection(conninfo: conninfo)
        #expect(try sql.scalar("SELECT password_hash LIKE 'pbkdf2-sha256$600000$%' FROM users") == "t")
        #expect(try TestRegistry.runCLI(["set-password", "--email", "u@test.edu"], environment: env, stdin: "too short\n").status == 1)
        #expect(try TestRegistry.runCLI(["set-password", "--email", "u@test.edu"], environment: env, stdin: "U@TEST.EDU\n").status == 1)
        let before = try sql.scalar("SELECT password_hash FROM users")
        #expect(try TestRegistry.runCLI(["set-password", "--email", "u@test.edu"], environment: env,
                                        stdin: "another long passphrase\n").status == 0)
        #expect(try sql.scalar("SELECT password_hash FROM users") != before)
    }

    @Test("OPS-22a: deactivate makes every key fail (401); reactivate restores; unknown → 1, bad usage → 2")
    func deactivateAndReactivate() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let user = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
        let client = try registry.client()
        #expect(try client.request(method: "GET", path: "/api/v2/institutions", headers: user.headers).status == 200)
        #expect(try registry.cli(["institution", "deactivate", "test.edu"]).status == 0)
        #expect(try registry.cli(["institution", "deactivate", "test.edu"]).status == 0)
        let refused = try client.request(method: "GET", path: "/api/v2/institutions", headers: user.headers)
        #expect(refused.status == 401)
        #expect(try refused.jsonObject()["message"] as? String == "invalid API credentials")
        let sql = try registry.sql()
        #expect(try sql.scalar("SELECT state || (deactivated_at IS NOT NULL)::text FROM institutions") == "Dtrue")
        #expect(try registry.cli(["institution", "reactivate", "test.edu"]).status == 0)
        #expect(try client.request(method: "GET", path: "/api/v2/institutions", headers: user.headers).status == 200)
        #expect(try sql.scalar("SELECT count(*) FROM audit_log WHERE action LIKE 'institution.%activate'") == "2")
        #expect(try registry.cli(["institution", "deactivate", "nope.edu"]).status == 1)
        #expect(try registry.cli(["institution", "deactivate"]).status == 2)
        #expect(try registry.cli(["institution", "explode", "test.edu"]).status == 2)
    }
}
