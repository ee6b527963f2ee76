import CryptoSupport
import Formats
import Postgres

/// Set-password links (html.md WEB-9, domain.md DOM-59): a 64-hex-character token, 72 h, single
/// use, only its SHA-256 stored; the plaintext goes into a `welcome` or `password_reset`
/// notification (§8.9) and, for a new user, once to the creator's result page (WEB-41).
public enum PasswordTokenStore {
    public enum Purpose: String, Sendable {
        case welcome
        case reset

        var notificationType: String { self == .welcome ? "welcome" : "password_reset" }
        var subject: String {
            self == .welcome ? "Welcome to the registry: set your password" : "Registry password reset"
        }
    }

    /// Creates the token and its notification in the caller's transaction; returns the absolute
    /// set-password link. Writes no audit row: the action that asks for it records itself.
    /// - Parameter baseURL: `PUBLIC_BASE_URL`, or scheme and Host of the request (DOM-141b).
    public static func issue(userID: Int64, purpose: Purpose, baseURL: String, on connection: PGConnection) throws -> String {
        let token = SecureRandom.hex(byteCount: 32)
        let user = try connection.query("""
            WITH token AS (
                INSERT INTO password_tokens (user_id, token_hash, purpose, expires_at)
                VALUES (\(userID), \(SHA256.hash(Array(token.utf8))), \(purpose.rawValue), now() + interval '72 hours'))
            SELECT email, institution_id FROM users WHERE id = \(userID)
            """)
        guard user.rowCount == 1, let email = user.string(0, 0), let institutionID = try user.int64(0, 1) else {
            throw RegistryError.notFound("user not found: \(userID)")
        }
        let link = baseURL + "/password/set?token=" + token
        let header = purpose == .welcome
            ? ["An account has been created for \(email).", "Set your password within 72 hours: \(link)"]
            : ["A password reset was requested for \(email).", "Set a new password within 72 hours: \(link)",
               "If you did not ask for this, ignore this message."]
        _ = try NotificationOutbox.insert(NewNotification(
            type: purpose.notificationType, institutionID: institutionID, recipients: [email], subject: purpose.subject,
            body: NotificationOutbox.body(header: header, items: [])), on: connection)
        return link
    }

    /// The user a token may still set the password of (unused, unexpired, user and institution
    /// active), or nil. Locks the token row when `forUpdate` so it is used at most once.
    public static func user(forToken token: String, forUpdate: Bool = false, on connection: PGConnection) throws -> (tokenID: Int64, userID: Int64, email: String)? {
        guard token.utf8.count == 64, Hex.decode(token) != nil else { return nil }
        var query: PGQuery = """
            SELECT t.id, u.id, u.email
            FROM password_tokens t JOIN users u ON u.id = t.user_id JOIN institutions i ON i.id = u.institution_id
            WHERE t.token_hash = \(SHA256.hash(Array(token.utf8))) AND t.used_at IS NULL AND t.expires_at > now()
              AND u.deactivated_at IS NULL AND i.state = 'A'
            """
        if forUpdate { query.appendUnescaped(" FOR UPDATE OF t") }
        let result = try connection.query(query)
        guard result.rowCount == 1, let tokenID = try result.int64(0, 0), let userID = try result.int64(0, 1),
              let email = result.string(0, 2) else { return nil }
        return (tokenID, userID, email)
    }

    /// Uses the token: stores the password hash (`UserPasswords.hash`, computed before the
    /// transaction), clears the lockout, signs the user out everywhere, and writes
    /// `user.password_change`. Returns false when the token is no longer valid.
    public static func setPassword(token: String, passwordHash: String, audit: AuditEntry,
                                   on connection: PGConnection) throws -> Bool {
        guard let found = try user(forToken: token, forUpdate: true, on: connection) else { return false }
        _ = try connection.query("UPDATE password_tokens SET used_at = now(), updated_at = now() WHERE id = \(found.tokenID)")
        try UserPasswords.store(userID: found.userID, passwordHash: passwordHash, on: connection)
        try SessionStore.deleteAll(userID: found.userID, on: connection)
        var entry = audit
        entry.resourceType = "user"
        entry.resourceID = found.userID
        entry.resourceIdentifier = found.email
        entry.institutionID = try connection.query("SELECT institution_id FROM users WHERE id = \(found.userID)").int64(0, 0)
        entry.details = AuditDetails.object(["via": "password_token"])
        try AuditLog.append(entry, on: connection)
        return true
    }
}

/// Storing a password hash (WEB-3) with the bookkeeping every path shares.
public enum UserPasswords {
    /// The stored form of `password` (WEB-3, 600,000 iterations: a good part of a second). Compute
    /// it BEFORE the transaction: inside, it would hold the user's and the token's row locks and a
    /// pooled connection for that long. Throws `PasswordHashingGate.Busy` when the gate is full.
    public static func hash(_ password: String) throws -> String {
        try GatedPasswordHash.make(password: password)
    }

    /// Stores a hash from `hash(_:)`, clearing the lockout counters. Every reset link still
    /// outstanding for the user is used up with it: a link mailed before the password changed
    /// (by the user, an admin or the CLI) must not set another one afterwards (WEB-9 single use).
    public static func store(userID: Int64, passwordHash: String, on connection: PGConnection) throws {
        _ = try connection.query("""
            WITH retired AS (
                UPDATE password_tokens SET used_at = now(), updated_at = now() WHERE user_id = \(userID) AND used_at IS NULL)
            UPDATE users SET password_hash = \(passwordHash), password_changed_at = now(), failed_login_count = 0,
                             locked_until = NULL, updated_at = now()
            WHERE id = \(userID)
            """)
    }

    /// Uses up every outstanding reset link of the user (deactivation, DOM-55: a link issued
    /// before must not work again after a reactivation).
    public static func retireTokens(userID: Int64, on connection: PGConnection) throws {
        _ = try connection.query("""
            UPDATE password_tokens SET used_at = now(), updated_at = now() WHERE user_id = \(userID) AND used_at IS NULL
            """)
    }
}
