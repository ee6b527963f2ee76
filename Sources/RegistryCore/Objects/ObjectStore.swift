import Postgres

/// Writes intellectual objects: create with idempotent replay (api-v2.md API-60..65, API-92) and
/// update (API-93, `ObjectStore+Update.swift`). Each is one transaction with its audit row
/// (DOM-82, OPS-68).
public enum ObjectStore {
    public enum CreateOutcome: Sendable, Equatable {
        case created
        /// The identifier existed with the same content: nothing stored (API-60).
        case replayed
    }

    /// Creates `object` (state `A`), or answers an identical existing one as a replay; an existing
    /// one with other content is a 422 `{"identifier":["has already been taken"]}`.
    ///
    /// `render` runs inside the same transaction after the audit row, so the response shows exactly
    /// what was committed (API-60: a replay returns the stored record's current representation).
    ///
    /// Concurrent identical creates (API-65): the insert is `ON CONFLICT (identifier) DO NOTHING`.
    /// When another transaction is inserting the same identifier, PostgreSQL makes this insert wait
    /// for it; after it commits the insert does nothing, and the next statement (READ COMMITTED:
    /// a new snapshot) reads the committed row and answers a replay. So no request sees a unique
    /// violation and none needs to be retried.
    public static func create<Rendered>(
        _ object: NewObject, origin: AuditOrigin, caller: Caller, on database: Database,
        render: (PGConnection, Int64) throws -> Rendered
    ) throws -> (outcome: CreateOutcome, id: Int64, rendered: Rendered) {
        try database.transaction { connection in
            let (outcome, id) = try insertOrReplay(object, on: connection)
            try AuditLog.append(
                AuditEntry(origin: origin, caller: caller, action: "object.create", resourceType: "intellectual_object",
                           resourceID: id, resourceIdentifier: object.identifier, institutionID: object.institutionID,
                           status: 201, details: outcome == .replayed ? AuditEntry.replayedDetails : nil),
                on: connection)
            return (outcome, id, try render(connection, id))
        }
    }

    private static func insertOrReplay(_ object: NewObject, on connection: PGConnection) throws -> (CreateOutcome, Int64) {
        let content = object.content
        let inserted = try connection.query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, description, alt_identifier,
                access, state, etag, storage_option, bag_group_identifier, bagit_profile_identifier, source_organization,
                internal_sender_identifier, internal_sender_description, created_at, updated_at)
            VALUES (\(object.identifier), \(content.bagName), \(object.institutionID), \(content.title),
                \(content.description), \(content.altIdentifier), \(content.access), 'A', \(content.etag),
                \(content.storageOption), \(content.bagGroupIdentifier), \(content.bagitProfileIdentifier),
                \(content.sourceOrganization), \(content.internalSenderIdentifier), \(content.internalSenderDescription),
                now(), now())
            ON CONFLICT (identifier) DO NOTHING
            RETURNING id
            """)
        if inserted.rowCount == 1, let id = try inserted.int64(0, 0) {
            return (.created, id)
        }
        guard let stored = try storedContent(identifier: object.identifier, on: connection) else {
            // The conflicting row vanished: objects are never deleted (DOM-81), so this is a bug.
            throw PGError(kind: .other, message: "object \(object.identifier) conflicted but cannot be read")
        }
        guard stored.institutionID == object.institutionID, stored.content.sameContent(as: content) else {
            throw RegistryError.validation(FieldErrors("identifier", "has already been taken"))
        }
        return (.replayed, stored.id)
    }

    /// The stored object with this identifier (byte-exact: the column is COLLATE "C").
    static func storedContent(identifier: String, on connection: PGConnection) throws -> StoredObject? {
        var query: PGQuery = "SELECT "
        query.append(StoredObject.selectList)
        query.append(" FROM intellectual_objects WHERE identifier = \(identifier)")
        let result = try connection.query(query)
        guard result.rowCount == 1 else { return nil }
        return try StoredObject(result, row: 0)
    }
}

/// An object row as the write paths need it.
struct StoredObject {
    let id: Int64
    let identifier: String
    let institutionID: Int64
    let state: String
    let content: ObjectContent

    /// Column order read by `init(_:row:)`.
    static let selectList: PGQuery = """
        id, identifier, institution_id, state, title, description, alt_identifier, access, bag_name,
        bag_group_identifier, etag, storage_option, bagit_profile_identifier, source_organization,
        internal_sender_identifier, internal_sender_description
        """

    init(_ result: PGResult, row: Int) throws {
        id = try result.int64(row, 0) ?? 0
        identifier = result.string(row, 1) ?? ""
        institutionID = try result.int64(row, 2) ?? 0
        state = result.string(row, 3) ?? ""
        content = ObjectContent(values: (4..<16).map { result.string(row, $0) })
    }
}
