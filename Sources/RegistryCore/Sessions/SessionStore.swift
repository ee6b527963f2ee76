import CryptoSupport
import Formats
import Postgres

/// The two session timeouts of html.md WEB-6 (`SESSION_IDLE_MINUTES`, `SESSION_MAX_HOURS`).
public struct SessionTimeouts: Sendable {
    public var idleMinutes: Int
    public var maxHours: Int

    public init(idleMinutes: Int, maxHours: Int) {
        self.idleMinutes = idleMinutes
        self.maxHours = maxHours
    }
}

/// A signed-in session, found by its cookie (html.md WEB-5).
public struct ActiveSession: Sendable {
    public let id: Int64
    /// The user, with `authMethod` `session` (domain.md §4.12).
    public let caller: Caller
    public let userName: String
    /// The session's CSRF token (WEB-15), compared in constant time with the form's.
    public let csrfToken: String
}

/// What a presented session cookie turned out to be.
public enum SessionLookup: Sendable {
    case active(ActiveSession)
    /// The row existed but had passed a timeout; it has been deleted (WEB-6).
    case expired
    /// No such session.
    case unknown
    /// The session exists but its institution is deactivated (DOM-51): it fails until the
    /// institution is reactivated, so the row and the cookie are kept.
    case suspended
}

/// Server-side sessions (html.md WEB-5/6, domain.md §4.2). The cookie holds 32 random bytes
/// (base64url); only their SHA-256 is stored, so a database leak reveals no usable cookie.
public enum SessionStore {
    /// A new session for `userID`; returns the cookie value (shown to nobody but the browser).
    public static func create(userID: Int64, timeouts: SessionTimeouts, remoteAddress: String?, userAgent: String?,
                              on connection: PGConnection) throws -> String {
        let cookie = Base64URL.encode(SecureRandom.bytes(32))
        let csrf = Base64URL.encode(SecureRandom.bytes(32))
        let agent = userAgent.map { String($0.prefix(512)) }.flatMap { $0.isEmpty ? nil : $0 }
        _ = try connection.query("""
            INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, remote_addr, user_agent)
            VALUES (\(SHA256.hash(Array(cookie.utf8))), \(userID), \(csrf),
                    now() + make_interval(hours => \(timeouts.maxHours)::int),
                    \(remoteAddress.flatMap { $0.isEmpty ? nil : $0 }), \(agent))
            """)
        return cookie
    }

    /// The session a cookie names. An expired one is deleted here (WEB-6); an active one has its
    /// `last_seen_at` written at most once a minute, so a busy user costs no write per page.
    public static func find(cookie: String, timeouts: SessionTimeouts, on connection: PGConnection) throws -> SessionLookup {
        guard !cookie.isEmpty, cookie.utf8.count <= 128 else { return .unknown }
        let result = try connection.query("""
            SELECT s.id, s.csrf_token, u.id, u.email, u.role, u.institution_id, i.identifier, u.name,
                   (s.expires_at <= now()
                    OR s.last_seen_at <= now() - make_interval(mins => \(timeouts.idleMinutes)::int)) AS expired,
                   s.last_seen_at < now() - interval '1 minute' AS stale,
                   u.deactivated_at IS NULL AND i.state = 'A' AS may_sign_in
            FROM sessions s JOIN users u ON u.id = s.user_id JOIN institutions i ON i.id = u.institution_id
            WHERE s.id_hash = \(SHA256.hash(Array(cookie.utf8)))
            """)
        guard result.rowCount == 1, let id = try result.int64(0, 0) else { return .unknown }
        if try result.bool(0, 8) == true {
            _ = try connection.query("DELETE FROM sessions WHERE id = \(id)")
            return .expired
        }
        guard try result.bool(0, 10) == true else { return .suspended }
        guard let userID = try result.int64(0, 2), let email = result.string(0, 3),
              let role = result.string(0, 4).flatMap(Role.init(rawValue:)),
              let institutionID = try result.int64(0, 5), let institution = result.string(0, 6)
        else { return .unknown }
        if try result.bool(0, 9) == true {
            _ = try connection.query("UPDATE sessions SET last_seen_at = now(), updated_at = now() WHERE id = \(id)")
        }
        let caller = Caller(userID: userID, email: email, role: role, institutionID: institutionID,
                            institutionIdentifier: institution, authMethod: "session")
        return .active(ActiveSession(id: id, caller: caller, userName: result.string(0, 7) ?? email,
                                     csrfToken: result.string(0, 1) ?? ""))
    }

    /// Deletes the session a cookie names (logout, or a pre-login cookie being replaced).
    public static func delete(cookie: String, on connection: PGConnection) throws {
        _ = try connection.query("DELETE FROM sessions WHERE id_hash = \(SHA256.hash(Array(cookie.utf8)))")
    }

    /// Deletes one session by its row id (logout, WEB-7: the signed-in session is already resolved).
    public static func delete(id: Int64, on connection: PGConnection) throws {
        _ = try connection.query("DELETE FROM sessions WHERE id = \(id)")
    }

    /// Deletes every session of a user except `keeping` (WEB-8: the current one stays signed in).
    public static func deleteAll(userID: Int64, keeping sessionID: Int64? = nil, on connection: PGConnection) throws {
        if let sessionID {
            _ = try connection.query("DELETE FROM sessions WHERE user_id = \(userID) AND id <> \(sessionID)")
        } else {
            _ = try connection.query("DELETE FROM sessions WHERE user_id = \(userID)")
        }
    }
}
