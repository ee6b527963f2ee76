import CryptoSupport
import Formats
import Postgres

/// Signing in with e-mail and password (html.md WEB-1..3, WEB-6).
public enum LoginStore {
    /// WEB-2: consecutive failures that lock an account, and for how long.
    public static let lockoutThreshold = 10
    public static let lockoutMinutes = 15

    /// Why an attempt failed. Recorded in the audit row only; the page says the same thing for
    /// every reason (WEB-1), so the form reveals neither which accounts exist nor which are locked.
    public enum FailureReason: String, Sendable {
        case unknownUser = "unknown_user"
        case noPassword = "no_password"
        case wrongPassword = "wrong_password"
        case deactivated
        case locked
    }

    public enum Outcome: Sendable {
        /// A new session (its cookie value) for `caller`.
        case signedIn(cookie: String, caller: Caller)
        case failed(FailureReason)
    }

    /// Checks the password and, on success, opens a new session (WEB-6: a new id at every login).
    ///
    /// The PBKDF2 run (600,000 iterations, a noticeable fraction of a second) happens outside any
    /// transaction so no row lock or pooled transaction is held meanwhile; the counters are then
    /// updated with single atomic statements. Unknown e-mails cost one PBKDF2 run too, so timing
    /// does not tell whether an account exists. Every PBKDF2 run goes through the shared gate, which
    /// throws `PasswordHashingGate.Busy` (before anything is written) when too many attempts are
    /// already in progress.
    /// `replacing`: the session cookie the browser presented, if any; a successful login deletes its
    /// row in the same transaction (WEB-6: a cookie presented before login is never reused).
    public static func attempt(email: String, password: String, timeouts: SessionTimeouts, origin: AuditOrigin,
                               userAgent: String?, replacing previousCookie: String? = nil,
                               database: Database) throws -> Outcome {
        let normalized = EmailAddress.normalized(email)
        let account = try database.read { try Account.find(email: normalized, on: $0) }
        guard let account else {
            _ = try GatedPasswordHash.verify(password: password, against: dummyHash)
            try recordFailure(.unknownUser, account: nil, claimedEmail: normalized, origin: origin, database: database)
            return .failed(.unknownUser)
        }
        if account.locked {
            _ = try GatedPasswordHash.verify(password: password, against: dummyHash)
            try recordFailure(.locked, account: account, claimedEmail: normalized, origin: origin, database: database)
            return .failed(.locked)
        }
        guard let stored = account.passwordHash else {
            _ = try GatedPasswordHash.verify(password: password, against: dummyHash)
            try recordFailure(.noPassword, account: account, claimedEmail: normalized, origin: origin, database: database)
            return .failed(.noPassword)
        }
        let matches = try GatedPasswordHash.verify(password: password, against: stored)
        if !matches || !account.maySignIn {
            let reason: FailureReason = matches ? .deactivated : .wrongPassword
            try recordFailure(reason, account: account, claimedEmail: normalized, origin: origin, database: database)
            return .failed(reason)
        }
        let rehash = PasswordHash.needsRehash(stored) ? try GatedPasswordHash.make(password: password) : nil
        let outcome: Outcome = try database.transaction { connection in
            // Re-checked under the row lock: a lock, a deactivation or a new password (a reset
            // signs the user out everywhere; the password checked above must still be the one
            // stored, and a rehash must not overwrite the new one) that happened meanwhile wins.
            let current = try connection.query("""
                UPDATE users u SET failed_login_count = 0, locked_until = NULL, last_sign_in_at = now(),
                                   password_hash = coalesce(\(rehash), u.password_hash), updated_at = now()
                FROM institutions i
                WHERE u.id = \(account.id) AND i.id = u.institution_id AND u.deactivated_at IS NULL AND i.state = 'A'
                  AND (u.locked_until IS NULL OR u.locked_until <= now()) AND u.password_hash = \(stored)
                RETURNING u.email, u.role, i.identifier
                """)
            guard current.rowCount == 1, let storedEmail = current.string(0, 0),
                  let role = current.string(0, 1).flatMap(Role.init(rawValue:)), let institution = current.string(0, 2)
            else {
                // Locked, deactivated or given a new password since the first read: which one, for
                // the audit row below.
                let now = try Account.find(email: normalized, on: connection)
                if now?.passwordHash != stored { return .failed(.wrongPassword) }
                return .failed(now?.maySignIn == false ? .deactivated : .locked)
            }
            let caller = Caller(userID: account.id, email: storedEmail, role: role, institutionID: account.institutionID,
                                institutionIdentifier: institution, authMethod: "session")
            if let previousCookie { try SessionStore.delete(cookie: previousCookie, on: connection) }
            let cookie = try SessionStore.create(userID: account.id, timeouts: timeouts, remoteAddress: origin.remoteAddress,
                                                 userAgent: userAgent, on: connection)
            try AuditLog.append(AuditEntry(origin: origin, caller: caller, action: "login.success", resourceType: "user",
                                           resourceID: account.id, resourceIdentifier: storedEmail,
                                           institutionID: account.institutionID, status: 303), on: connection)
            return .signedIn(cookie: cookie, caller: caller)
        }
        if case .failed(let reason) = outcome {
            // WEB-1: this failure is recorded like every other (the attempt's UPDATE matched no row,
            // so its transaction wrote nothing).
            try recordFailure(reason, account: account, claimedEmail: normalized, origin: origin, database: database)
        }
        return outcome
    }

    /// WEB-1/WEB-2: a `login.failure` row, and for a known account one more consecutive failure —
    /// the tenth sets `locked_until`.
    private static func recordFailure(_ reason: FailureReason, account: Account?, claimedEmail: String,
                                      origin: AuditOrigin, database: Database) throws {
        try database.transaction { connection in
            if let account, reason != .locked {
                // WEB-2: the count of consecutive failures stays at the threshold while the account
                // is locked (what an operator reads); the first failure after an expired lock starts
                // a new count (the lock is over, so that is its first failure). A lock taken by a
                // concurrent request since this one looked is left alone. Every expression reads the
                // row being updated, which concurrent failures see in turn (a subquery would keep
                // its first snapshot and lose their increments).
                _ = try connection.query("""
                    UPDATE users SET
                        failed_login_count = CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END,
                        locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_login_count + 1 END)
                                                 >= \(lockoutThreshold)::int
                                            THEN now() + make_interval(mins => \(lockoutMinutes)::int) END
                    WHERE id = \(account.id) AND (locked_until IS NULL OR locked_until <= now())
                    """)
            }
            try AuditLog.append(AuditEntry(origin: origin, caller: nil, action: "login.failure", resourceType: "user",
                                           resourceID: account?.id, resourceIdentifier: account == nil ? nil : claimedEmail,
                                           institutionID: account?.institutionID, status: 200,
                                           details: AuditDetails.object(["claimed_email": claimedEmail,
                                                                         "reason": reason.rawValue])), on: connection)
        }
    }

    /// A well-formed hash of a random password, verified against when there is nothing real to
    /// verify, so every failure path costs the same PBKDF2 work.
    private static let dummyHash = PasswordHash.make(password: Hex.encode(SecureRandom.bytes(16)))

    /// What a login needs to know about the account an e-mail names.
    private struct Account {
        let id: Int64
        let institutionID: Int64
        let passwordHash: String?
        let locked: Bool
        /// Not deactivated, and the institution is active (DOM-51, DOM-55).
        let maySignIn: Bool

        static func find(email: String, on connection: PGConnection) throws -> Account? {
            let result = try connection.query("""
                SELECT u.id, u.institution_id, u.password_hash, coalesce(u.locked_until > now(), false),
                       u.deactivated_at IS NULL AND i.state = 'A'
                FROM users u JOIN institutions i ON i.id = u.institution_id
                WHERE u.email = \(email)
                """)
            guard result.rowCount == 1, let id = try result.int64(0, 0), let institutionID = try result.int64(0, 1) else {
                return nil
            }
            return Account(id: id, institutionID: institutionID, passwordHash: result.string(0, 2),
                           locked: try result.bool(0, 3) ?? false, maySignIn: try result.bool(0, 4) ?? false)
        }
    }
}
