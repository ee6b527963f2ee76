import Postgres

/// A new institution as a command or form supplies it.
public struct NewInstitution: Sendable {
    public var identifier: String
    public var name: String
    /// `MemberInstitution` or `SubscriptionInstitution`.
    public var type: String
    /// The member a subscriber belongs to (DOM-50).
    public var parentIdentifier: String?

    public init(identifier: String, name: String, type: String, parentIdentifier: String?) {
        self.identifier = identifier
        self.name = name
        self.type = type
        self.parentIdentifier = parentIdentifier
    }
}

/// Institution changes (OPS-22, OPS-22a, html.md WEB-43a). Each runs in the caller's transaction
/// and writes its audit row there.
public enum InstitutionStore {
    /// Creates the institution and its chain head row (auditor.md §4.6: one head per institution,
    /// created with it). Returns the new id.
    public static func create(_ new: NewInstitution, receivingBucketPrefix: String, restoreBucketPrefix: String,
                              audit: AuditEntry, on connection: PGConnection) throws -> Int64 {
        var errors = FieldErrors()
        if !InstitutionRules.isValidIdentifier(new.identifier) { errors.add("identifier", "is invalid") }
        let nameBytes = new.name.utf8.count
        if new.name.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            errors.add("name", "can't be blank")
        } else if nameBytes > 255 {
            errors.add("name", "is too long")
        }
        if !Vocabulary.institutionType.containsExactly(new.type) { errors.add("type", "is not included in the list") }
        var parentID: Int64?
        if new.type == "SubscriptionInstitution" {
            if let parent = new.parentIdentifier {
                // FOR SHARE: a concurrent change of the parent's type (which locks it FOR NO KEY
                // UPDATE and checks for subscribers) waits for this insert, or this read for it.
                let found = try connection.query("SELECT id, type FROM institutions WHERE identifier = \(parent) FOR SHARE")
                if found.rowCount == 1, found.string(0, 1) == "MemberInstitution" {
                    parentID = try found.int64(0, 0)
                } else {
                    errors.add("member_institution_id", "must be a member institution")
                }
            } else {
                errors.add("member_institution_id", "can't be blank")
            }
        } else if new.parentIdentifier != nil {
            errors.add("member_institution_id", "must be blank for a member institution")
        }
        let taken = try connection.query("""
            SELECT identifier = \(new.identifier), lower(name) = lower(\(new.name)) FROM institutions
            WHERE identifier = \(new.identifier) OR lower(name) = lower(\(new.name))
            """)
        for row in 0..<taken.rowCount {
            if try taken.bool(row, 0) == true { errors.add("identifier", "has already been taken") }
            if try taken.bool(row, 1) == true { errors.add("name", "has already been taken") }
        }
        try errors.throwIfAny()

        let result = try connection.query("""
            INSERT INTO institutions (identifier, name, type, member_institution_id, receiving_bucket, restore_bucket)
            VALUES (\(new.identifier), \(new.name), \(new.type), \(parentID),
                    \(receivingBucketPrefix + new.identifier), \(restoreBucketPrefix + new.identifier))
            RETURNING id
            """)
        guard let id = try result.int64(0, 0) else { throw PGError(kind: .other, message: "insert returned no id") }
        _ = try connection.query("INSERT INTO event_chain_heads (institution_id) VALUES (\(id))")
        var entry = audit
        entry.resourceType = "institution"
        entry.resourceID = id
        entry.resourceIdentifier = new.identifier
        entry.institutionID = id
        try AuditLog.append(entry, on: connection)
        return id
    }

    /// DOM-51: deactivate (state D, deactivated_at now) or reactivate (state A, deactivated_at NULL).
    /// Returns false when it was already in that state: nothing changes, and the audit row, which
    /// then records no changes, is written only with `auditNoOp` — an HTTP request that succeeds
    /// writes one (DOM-82), the CLI's "no change" (OPS-22a) writes none. Throws `.notFound` for an
    /// unknown identifier.
    public static func setActive(_ active: Bool, identifier: String, auditNoOp: Bool, audit: AuditEntry,
                                 on connection: PGConnection) throws -> Bool {
        let current = try connection.query("SELECT id, state FROM institutions WHERE identifier = \(identifier) FOR NO KEY UPDATE")
        guard current.rowCount == 1, let id = try current.int64(0, 0) else {
            throw RegistryError.notFound("institution not found: \(identifier)")
        }
        let target = active ? "A" : "D"
        let changed = current.string(0, 1) != target
        guard changed || auditNoOp else { return false }
        if changed && active {
            _ = try connection.query("UPDATE institutions SET state = 'A', deactivated_at = NULL, updated_at = now() WHERE id = \(id)")
        } else if changed {
            _ = try connection.query("UPDATE institutions SET state = 'D', deactivated_at = now(), updated_at = now() WHERE id = \(id)")
        }
        var entry = audit
        entry.resourceType = "institution"
        entry.resourceID = id
        entry.resourceIdentifier = identifier
        entry.institutionID = id
        entry.details = AuditDetails.changes(changed ? [("state", active ? "D" : "A", target)] : [])
        try AuditLog.append(entry, on: connection)
        return changed
    }
}
