import Formats
import Postgres

/// One field of an update: left as stored, or set (api-v2.md API-93: absent fields are unchanged).
public enum Patch<Value: Sendable>: Sendable {
    case keep
    case set(Value)

    func applied(to current: Value) -> Value {
        if case .set(let value) = self { return value }
        return current
    }
}

/// The changes an update (API-93) asks for. `identifier`, `bag_name` and `institution_id` are not
/// here: they may only be sent unchanged, which the API checks before calling the store.
public struct ObjectPatch: Sendable {
    public var title: Patch<String> = .keep
    public var description: Patch<String?> = .keep
    public var altIdentifier: Patch<String?> = .keep
    public var access: Patch<String> = .keep
    public var bagGroupIdentifier: Patch<String?> = .keep
    public var etag: Patch<String?> = .keep
    public var storageOption: Patch<String> = .keep
    public var bagitProfileIdentifier: Patch<String?> = .keep
    public var sourceOrganization: Patch<String?> = .keep
    public var internalSenderIdentifier: Patch<String?> = .keep
    public var internalSenderDescription: Patch<String?> = .keep
    /// A body `state` of `A`: revives a `D` object ([Compat] re-ingest after deletion).
    public var revive = false

    public init() {}

    func applied(to stored: ObjectContent) -> ObjectContent {
        var content = stored
        content.title = title.applied(to: stored.title)
        content.description = description.applied(to: stored.description)
        content.altIdentifier = altIdentifier.applied(to: stored.altIdentifier)
        content.access = access.applied(to: stored.access)
        content.bagGroupIdentifier = bagGroupIdentifier.applied(to: stored.bagGroupIdentifier)
        content.etag = etag.applied(to: stored.etag)
        content.storageOption = storageOption.applied(to: stored.storageOption)
        content.bagitProfileIdentifier = bagitProfileIdentifier.applied(to: stored.bagitProfileIdentifier)
        content.sourceOrganization = sourceOrganization.applied(to: stored.sourceOrganization)
        content.internalSenderIdentifier = internalSenderIdentifier.applied(to: stored.internalSenderIdentifier)
        content.internalSenderDescription = internalSenderDescription.applied(to: stored.internalSenderDescription)
        return content
    }
}

extension ObjectStore {
    /// DOM-60 message, shared with the API's early check.
    public static let storageOptionLockedMessage = "cannot be changed while the object is active"

    /// Applies `patch` to object `id` under a row lock, writes the `object.update` audit row with
    /// `{"changes": {field: [old, new]}}` (only fields whose value changed) and returns `render`'s
    /// result from the same transaction. DOM-60 is checked against the locked row.
    public static func update<Rendered>(
        id: Int64, patch: ObjectPatch, origin: AuditOrigin, caller: Caller, on database: Database,
        render: (PGConnection, Int64) throws -> Rendered
    ) throws -> Rendered {
        try database.transaction { connection in
            var select: PGQuery = "SELECT "
            select.append(StoredObject.selectList)
            select.append(" FROM intellectual_objects WHERE id = \(id) FOR NO KEY UPDATE")
            let result = try connection.query(select)
            guard result.rowCount == 1 else {
                throw PGError(kind: .other, message: "object \(id) disappeared during an update")
            }
            let stored = try StoredObject(result, row: 0)
            let content = patch.applied(to: stored.content)
            let state = patch.revive ? "A" : stored.state
            if stored.state == "A",
               !ObjectContent.sameBytes(content.storageOption, stored.content.storageOption) {
                throw RegistryError.validation(FieldErrors("storage_option", storageOptionLockedMessage))
            }
            _ = try connection.query("""
                UPDATE intellectual_objects SET title = \(content.title), description = \(content.description),
                    alt_identifier = \(content.altIdentifier), access = \(content.access),
                    bag_group_identifier = \(content.bagGroupIdentifier), etag = \(content.etag),
                    storage_option = \(content.storageOption), bagit_profile_identifier = \(content.bagitProfileIdentifier),
                    source_organization = \(content.sourceOrganization),
                    internal_sender_identifier = \(content.internalSenderIdentifier),
                    internal_sender_description = \(content.internalSenderDescription),
                    state = \(state), updated_at = now()
                WHERE id = \(id)
                """)
            let details = changeDetails(from: stored, to: content, state: state)
            try AuditLog.append(
                AuditEntry(origin: origin, caller: caller, action: "object.update", resourceType: "intellectual_object",
                           resourceID: id, resourceIdentifier: stored.identifier, institutionID: stored.institutionID,
                           status: 200, details: details),
                on: connection)
            return try render(connection, id)
        }
    }

    /// `{"changes": {field: [old, new], …}}` in column order, `state` last; unchanged fields left out.
    static func changeDetails(from stored: StoredObject, to content: ObjectContent, state: String) -> [UInt8] {
        var changes: [(field: String, old: String?, new: String?)] = []
        let pairs = zip(stored.content.values, content.values)
        for (column, (old, new)) in zip(ObjectContent.columns, pairs) where !ObjectContent.sameBytes(old, new) {
            changes.append((column, old, new))
        }
        if !ObjectContent.sameBytes(stored.state, state) {
            changes.append(("state", stored.state, state))
        }
        return AuditDetails.changes(changes)
    }
}
