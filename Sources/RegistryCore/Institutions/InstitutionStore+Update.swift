import Postgres

extension InstitutionStore {
    /// html.md WEB-43a: changes `name`, `type` and the parent of an institution (the identifier
    /// never changes), with the rules of creation (DOM-50, unique name) and an `institution.update`
    /// audit row listing the changes (none when nothing differed: the update still happened,
    /// DOM-82). Returns false when nothing differed.
    public static func update(identifier: String, name: String, type: String, parentIdentifier: String?,
                              audit: AuditEntry, on connection: PGConnection) throws -> Bool {
        let current = try connection.query("""
            SELECT i.id, i.name, i.type, p.identifier
            FROM institutions i LEFT JOIN institutions p ON p.id = i.member_institution_id
            WHERE i.identifier = \(identifier) FOR NO KEY UPDATE OF i
            """)
        guard current.rowCount == 1, let id = try current.int64(0, 0) else {
            throw RegistryError.notFound("institution not found: \(identifier)")
        }
        var errors = FieldErrors()
        if name.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            errors.add("name", "can't be blank")
        } else if name.utf8.count > 255 {
            errors.add("name", "is too long")
        }
        if !Vocabulary.institutionType.containsExactly(type) { errors.add("type", "is not included in the list") }
        var parentID: Int64?
        if type == "SubscriptionInstitution" {
            if let parentIdentifier {
                // FOR SHARE, as at creation: the parent cannot become a subscriber itself before this
                // commits (its update locks its row, then looks for subscribers).
                let found = try connection.query("""
                    SELECT id, type FROM institutions WHERE identifier = \(parentIdentifier) FOR SHARE
                    """)
                if found.rowCount == 1, found.string(0, 1) == "MemberInstitution", try found.int64(0, 0) != id {
                    parentID = try found.int64(0, 0)
                } else {
                    errors.add("member_institution_id", "must be a member institution")
                }
            } else {
                errors.add("member_institution_id", "can't be blank")
            }
        } else if parentIdentifier != nil {
            errors.add("member_institution_id", "must be blank for a member institution")
        }
        if type == "SubscriptionInstitution", current.string(0, 2) == "MemberInstitution",
           try connection.query("SELECT 1 FROM institutions WHERE member_institution_id = \(id) LIMIT 1").rowCount > 0 {
            errors.add("type", "cannot become a subscriber while it has subscribers")
        }
        if try connection.query("SELECT 1 FROM institutions WHERE lower(name) = lower(\(name)) AND id <> \(id)").rowCount > 0 {
            errors.add("name", "has already been taken")
        }
        try errors.throwIfAny()

        var changes: [(field: String, old: String?, new: String?)] = []
        let oldName = current.string(0, 1) ?? "", oldType = current.string(0, 2) ?? "", oldParent = current.string(0, 3)
        if !oldName.utf8.elementsEqual(name.utf8) { changes.append(("name", oldName, name)) }
        if oldType != type { changes.append(("type", oldType, type)) }
        if oldParent != parentIdentifier { changes.append(("member_institution", oldParent, parentIdentifier)) }
        // DOM-7, DOM-82: an update that changes no field still moves `updated_at` and writes its
        // audit row (with no changes), like object, file and work-item updates.
        _ = try connection.query("""
            UPDATE institutions SET name = \(name), type = \(type), member_institution_id = \(parentID), updated_at = now()
            WHERE id = \(id)
            """)
        var entry = audit
        entry.resourceType = "institution"
        entry.resourceID = id
        entry.resourceIdentifier = identifier
        entry.institutionID = id
        entry.details = AuditDetails.changes(changes)
        try AuditLog.append(entry, on: connection)
        return !changes.isEmpty
    }
}
