import Postgres

/// Role changes, deactivation and reactivation (html.md WEB-40, domain.md DOM-55). Permission is
/// the caller's business (UserPermissions, checked before these run); each change writes its
/// audit row in the caller's transaction.
public enum UserAdministration {
    /// Sets the role; returns false when it already had it (nothing changes; the successful request
    /// still writes its audit row, with no changes, DOM-82).
    public static func changeRole(_ target: UserRef, to role: Role, audit: AuditEntry, on connection: PGConnection) throws -> Bool {
        // The old role for the audit row is the one this statement replaced (read under the row
        // lock), not `target.role`, which was read before the transaction.
        let result = try connection.query("""
            UPDATE users u SET role = \(role.rawValue), updated_at = now()
            FROM (SELECT id, role FROM users WHERE id = \(target.id) FOR UPDATE) old
            WHERE u.id = old.id AND old.role <> \(role.rawValue)
            RETURNING old.role
            """)
        guard result.rowCount == 1, let oldRole = result.string(0, 0) else { return try unchanged(audit, target, on: connection) }
        try append(audit, target, details: AuditDetails.changes([("role", oldRole, role.rawValue)]), on: connection)
        return true
    }

    /// DOM-55: deactivation sets `deactivated_at`, deletes every session and revokes every API key
    /// of the user, and uses up its outstanding reset links, all in this transaction. Returns false
    /// when already deactivated.
    public static func deactivate(_ target: UserRef, by caller: Caller, audit: AuditEntry,
                                  on connection: PGConnection) throws -> Bool {
        let result = try connection.query("""
            UPDATE users SET deactivated_at = now(), updated_at = now()
            WHERE id = \(target.id) AND deactivated_at IS NULL RETURNING id
            """)
        guard result.rowCount == 1 else { return try unchanged(audit, target, on: connection) }
        try SessionStore.deleteAll(userID: target.id, on: connection)
        try UserPasswords.retireTokens(userID: target.id, on: connection)
        let revoked = try connection.query("""
            UPDATE api_keys SET revoked_at = now(), revoked_by_id = \(caller.userID), updated_at = now()
            WHERE user_id = \(target.id) AND revoked_at IS NULL RETURNING id
            """)
        try append(audit, target, details: AuditDetails.object(["revoked_api_keys": String(revoked.rowCount)]), on: connection)
        return true
    }

    /// Clears `deactivated_at`; keys revoked at deactivation stay revoked. Returns false when the
    /// user was active.
    public static func reactivate(_ target: UserRef, audit: AuditEntry, on connection: PGConnection) throws -> Bool {
        let result = try connection.query("""
            UPDATE users SET deactivated_at = NULL, failed_login_count = 0, locked_until = NULL, updated_at = now()
            WHERE id = \(target.id) AND deactivated_at IS NOT NULL RETURNING id
            """)
        guard result.rowCount == 1 else { return try unchanged(audit, target, on: connection) }
        try append(audit, target, details: nil, on: connection)
        return true
    }

    /// DOM-82: a request that succeeds without changing anything still writes its one audit row,
    /// with an empty `changes`. Returns false (nothing changed).
    private static func unchanged(_ audit: AuditEntry, _ target: UserRef, on connection: PGConnection) throws -> Bool {
        try append(audit, target, details: AuditDetails.changes([]), on: connection)
        return false
    }

    private static func append(_ audit: AuditEntry, _ target: UserRef, details: [UInt8]?, on connection: PGConnection) throws {
        var entry = audit
        entry.resourceType = "user"
        entry.resourceID = target.id
        entry.resourceIdentifier = target.email
        entry.institutionID = target.institutionID
        entry.details = details
        try AuditLog.append(entry, on: connection)
    }
}
