import CryptoSupport
import Postgres

/// API-key authentication (api-v2.md API-10..12): one SHA-256 and one indexed lookup per request.
///
/// The key is looked up by its hash through the unique index on `api_keys.key_hash`; no slow KDF
/// runs per request (a 64-hex-character random key has 256 bits of entropy, so a fast hash is
/// enough), and comparing hashes inside the index lookup leaks nothing an attacker can use.
public enum APIKeyAuthenticator {
    /// The caller, or nil for every kind of failure (unknown user, wrong, revoked or expired key,
    /// deactivated user or institution) — the API answers them identically (API-12).
    public static func authenticate(email: String, key: String, on connection: PGConnection) throws -> Caller? {
        guard let query = query(email: email, key: key), let match = match(try connection.query(query)) else {
            return nil
        }
        if match.lastUsedIsStale {
            // DOM-58: at most one write a minute per key, not one per request. When the minute is
            // up, every request of that key in flight sees "stale" at once; a plain UPDATE made
            // them queue on the row lock, one commit after another, holding their pooled
            // connections (a 1.8 s stall of the whole server at 32 concurrent requests of one key
            // in `make bench-api`). SKIP LOCKED lets one of them write and the others go on.
            _ = try connection.query("""
                UPDATE api_keys SET last_used_at = now()
                WHERE id = (SELECT id FROM api_keys WHERE id = \(match.keyID)
                              AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
                            FOR UPDATE SKIP LOCKED)
                """)
        }
        return match.caller
    }

    /// The lookup of API-11 (nil when a header is missing or empty): one row for valid credentials.
    ///
    /// The key is found by its hash alone, in a MATERIALIZED CTE: as a plain join the planner may
    /// reach it through the user's keys instead (users by e-mail, then api_keys_user_id_idx, then
    /// a filter on the hash), which reads every key the user ever had, revoked ones included. It
    /// did whenever the statistics showed few keys per user: after 10,000 keys of the benchmark's
    /// user were deleted, GET object fell from about 26,000 to 11,700 req/s (`make bench-api`,
    /// issue 4). API-11 asks for one index lookup, so the plan must not depend on the statistics.
    public static func query(email: String, key: String) -> PGQuery? {
        guard !email.isEmpty, !key.isEmpty else { return nil }
        let keyHash = SHA256.hash(Array(key.utf8))
        return """
            WITH k AS MATERIALIZED (SELECT * FROM api_keys WHERE key_hash = \(keyHash))
            SELECT u.id, u.email, u.role, u.institution_id, i.identifier, k.id,
                   (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
            FROM k
            JOIN users u ON u.id = k.user_id
            JOIN institutions i ON i.id = u.institution_id
            WHERE u.email = \(EmailAddress.normalized(email))
              AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
              AND u.deactivated_at IS NULL AND i.state = 'A'
            """
    }

    /// What the lookup found.
    public struct Match: Sendable {
        public let caller: Caller
        public let keyID: Int64
        /// DOM-58: `last_used_at` is due for its once-a-minute write.
        public let lastUsedIsStale: Bool
    }

    /// The caller of a `query(email:key:)` result, or nil when the credentials are not valid.
    public static func match(_ result: PGResult) -> Match? {
        guard result.rowCount == 1,
              let userID = try? result.int64(0, 0), let storedEmail = result.string(0, 1),
              let role = result.string(0, 2).flatMap(Role.init(rawValue:)),
              let institutionID = try? result.int64(0, 3), let institution = result.string(0, 4),
              let keyID = try? result.int64(0, 5)
        else { return nil }
        let caller = Caller(userID: userID, email: storedEmail, role: role, institutionID: institutionID,
                            institutionIdentifier: institution, authMethod: "api_key:\(keyID)")
        return Match(caller: caller, keyID: keyID, lastUsedIsStale: (try? result.bool(0, 6)) == true)
    }
}

/// DOM-18: e-mail addresses are stored lower-cased and looked up case-insensitively. Only ASCII is
/// folded, exactly as the database's `lower()` on a `COLLATE "C"` column does.
public enum EmailAddress {
    public static func normalized(_ email: String) -> String {
        String(decoding: email.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }
}
