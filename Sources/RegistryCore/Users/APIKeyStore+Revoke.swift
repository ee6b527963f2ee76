import Postgres

/// An API key as the revoke rules need it: its owner decides who may revoke it (domain.md §7.2).
public struct APIKeyRef: Sendable {
    public let id: Int64
    public let owner: UserRef
    public let isRevoked: Bool
}

extension APIKeyStore {
    /// The key with its owner, or nil when missing or its owner is not visible to `caller` (DOM-96a).
    public static func key(id: Int64, caller: Caller, on connection: PGConnection) throws -> APIKeyRef? {
        let result = try connection.query("""
            SELECT u.id, u.email, u.name, u.role, u.institution_id, i.identifier, u.deactivated_at IS NULL,
                   k.revoked_at IS NOT NULL
            FROM api_keys k JOIN users u ON u.id = k.user_id JOIN institutions i ON i.id = u.institution_id
            WHERE k.id = \(id)
            """)
        guard result.rowCount == 1, let owner = try UserLookup.userRef(result, row: 0),
              UserPermissions.canSee(caller, owner) else { return nil }
        return APIKeyRef(id: id, owner: owner, isRevoked: try result.bool(0, 7) ?? false)
    }

    /// html.md WEB-43: sets `revoked_at`/`revoked_by_id`; the key fails at once (API-12). Returns
    /// false when it was already revoked (nothing changes; the request's audit row is still written, DOM-82).
    public static func revoke(_ key: APIKeyRef, by caller: Caller, audit: AuditEntry, on connection: PGConnection) throws -> Bool {
        let result = try connection.query("""
            UPDATE api_keys SET revoked_at = now(), revoked_by_id = \(caller.userID), updated_at = now()
            WHERE id = \(key.id) AND revoked_at IS NULL RETURNING label
            """)
        var entry = audit
        entry.resourceType = "api_key"
        entry.resourceID = key.id
        entry.resourceIdentifier = key.owner.email
        entry.institutionID = key.owner.institutionID
        // DOM-82: revoking a key that was already revoked succeeds too, and is recorded as such.
        entry.details = result.rowCount == 1
            ? AuditDetails.object(["key_id": String(key.id), "label": result.string(0, 0) ?? ""])
            : AuditDetails.object(["key_id": String(key.id), "already_revoked": "true"])
        try AuditLog.append(entry, on: connection)
        return result.rowCount == 1
    }
}
