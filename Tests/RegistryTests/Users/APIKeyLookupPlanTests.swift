import Foundation
import Postgres
import RegistryCore
import Testing
import TestSupport

/// API-11: verifying a key costs one SHA-256 and one index lookup, whatever the number of keys the
/// user has had. The plan must find the key by its hash (api_keys_key_hash_key), never through the
/// user's keys (api_keys_user_id_idx), even when the statistics describe a user with few keys but
/// the index still holds thousands of dead or revoked ones, which is how `make bench-api` lost
/// half of GET object's throughput after deleting 10,000 keys.
@Suite("Users: the API-key lookup reads one key")
struct APIKeyLookupPlanTests {
    @Test("API-11: the lookup goes through the key-hash index, for custom and generic plans",
          arguments: [false, true])
    func lookupUsesTheKeyHashIndex(genericPlan: Bool) throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let user = try registry.makeUser("worker@test.edu", role: "admin", institution: "test.edu")
        let sql = try registry.sql()
        // 5,000 more keys of the same user, then gone: the statistics say one key per user, the
        // user's index entries stay until a vacuum.
        try sql.query("""
            INSERT INTO api_keys (user_id, label, key_hash, key_prefix)
            SELECT u.id, 'old ' || g, sha256(('old ' || g)::bytea), 'old' FROM users u, generate_series(1, 5000) g
            WHERE u.email = 'worker@test.edu'
            """)
        try sql.query("ANALYZE api_keys")
        try sql.query("DELETE FROM api_keys WHERE label LIKE 'old %'")
        try sql.query("ANALYZE api_keys")

        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: registry.conninfo))
        let query = try #require(APIKeyAuthenticator.query(email: user.email, key: user.key))
        let plan = try connection.planText(of: query, genericPlan: genericPlan)
        #expect(plan.contains("api_keys_key_hash_key"), "\(plan)")
        #expect(!plan.contains("api_keys_user_id_idx"), "\(plan)")
        // And it still finds the key.
        #expect(APIKeyAuthenticator.match(try connection.query(query)) != nil)
    }

    @Test("API-11, API-12, DOM-18: the key must be the named user's; the e-mail matches in any case")
    func keyBelongsToTheNamedUser() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let worker = try registry.makeUser("worker@test.edu", role: "admin", institution: "test.edu")
        let other = try registry.makeUser("other@test.edu", role: "admin", institution: "test.edu")
        func status(_ email: String, _ key: String) throws -> Int {
            try registry.client().request(method: "GET", path: "/api/v2/institutions",
                                          headers: [("X-Pharos-API-User", email), ("X-Pharos-API-Key", key)]).status
        }
        #expect(try status(worker.email, worker.key) == 200)
        #expect(try status("WORKER@Test.EDU", worker.key) == 200)
        // The lookup finds a key by its hash alone; the e-mail must still be its owner's.
        #expect(try status(worker.email, other.key) == 401)
        #expect(try status(other.email, worker.key) == 401)
    }
}
