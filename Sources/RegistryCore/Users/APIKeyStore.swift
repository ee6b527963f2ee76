import CryptoSupport
import Postgres

/// API keys as records (domain.md DOM-57): several per user, label, optional expiry, revocation.
public enum APIKeyStore {
    /// A key just issued: the plaintext, shown exactly once, and its record id.
    public struct IssuedKey: Sendable {
        public let id: Int64
        public let key: String
    }

    /// The field errors of a new key's `label` (WEB-42: 1–100 characters, not blank) and
    /// `expires_days` (1–3650); empty when both are valid.
    private static func validate(label: String, expiresInDays: Int?) -> FieldErrors {
        var errors = FieldErrors()
        // Code points, as the database's char_length counts them (a flag emoji is one Character
        // but two code points: counted as one here, 100 of them would fail the CHECK as a 500).
        let labelLength = label.unicodeScalars.count
        if labelLength < 1 || label.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            errors.add("label", "can't be blank")
        } else if labelLength > 100 {
            errors.add("label", "is too long")
        }
        if let days = expiresInDays, !(1...3650).contains(days) { errors.add("expires_days", "must be between 1 and 3650") }
        return errors
    }

    /// Issues a key for `userID`: 32 CSPRNG bytes as 64 lower-case hex characters; only the raw
    /// SHA-256 of that text is stored, with its first 8 characters for display. Throws
    /// `.validation` for the fields, then (DOM-96b: validity before state) `.conflict` for a
    /// deactivated user.
    public static func issue(userID: Int64, label: String, expiresInDays: Int?, createdBy: Int64?, audit: AuditEntry,
                             on connection: PGConnection) throws -> IssuedKey {
        try validate(label: label, expiresInDays: expiresInDays).throwIfAny()
        // DOM-55: the user row is locked against a concurrent deactivation (which revokes every
        // key it can see: a key inserted beside it, uncommitted, would escape) and must be active.
        let owner = try connection.query("""
            SELECT email, deactivated_at IS NULL FROM users WHERE id = \(userID) FOR NO KEY UPDATE
            """)
        guard owner.rowCount == 1 else { throw RegistryError.notFound("user not found: \(userID)") }
        guard try owner.bool(0, 1) == true else {
            throw RegistryError.conflict("user \(owner.string(0, 0) ?? String(userID)) is deactivated")
        }

        let key = SecureRandom.hex(byteCount: 32)
        let hash = SHA256.hash(Array(key.utf8))
        let result = try connection.query("""
            INSERT INTO api_keys (user_id, label, key_hash, key_prefix, created_by_id, expires_at)
            VALUES (\(userID), \(label), \(hash), \(String(key.prefix(8))), \(createdBy),
                    CASE WHEN \(expiresInDays)::int IS NULL THEN NULL ELSE now() + make_interval(days => \(expiresInDays)::int) END)
            RETURNING id, (SELECT institution_id FROM users WHERE id = \(userID)), (SELECT email FROM users WHERE id = \(userID))
            """)
        guard let id = try result.int64(0, 0) else { throw PGError(kind: .other, message: "insert returned no id") }
        var entry = audit
        entry.resourceType = "api_key"
        entry.resourceID = id
        entry.resourceIdentifier = result.string(0, 2)
        entry.institutionID = try result.int64(0, 1)
        // Never the key or its hash (DOM-57): the id and the label identify it.
        entry.details = AuditDetails.object(["label": label, "key_id": String(id)])
        try AuditLog.append(entry, on: connection)
        return IssuedKey(id: id, key: key)
    }
}
