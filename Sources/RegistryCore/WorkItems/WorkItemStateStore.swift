import Formats
import Postgres

/// Writes and reads work item states (domain.md §4.9, DOM-67; api-v2.md API-66). The text is
/// stored zlib-compressed and never logged or audited (operations.md OPS-42, §4.12): audit rows
/// name the item and the text's size only.
public enum WorkItemStateStore {
    /// The stored row without its text.
    public struct Saved: Sendable {
        public let id: Int64
        public let workItemID: Int64
        public let action: String
        public let createdAt: Timestamp
        public let updatedAt: Timestamp
        /// True when the request created the row (201), false when it updated it (200).
        public let created: Bool
    }

    /// API-66: creates the item's state, or replaces the text (and `action`, when given) of the one
    /// it has, keeping its id. `action` absent copies the item's (DOM-67 table). nil when the item
    /// does not exist. `audit(created)` gives the request's audit entry for either outcome.
    ///
    /// One INSERT … ON CONFLICT statement, so two concurrent first attempts of the fetch worker end
    /// with one row and no unique-violation error.
    public static func upsert(workItemID: Int64, action: String?, text: [UInt8], audit: (_ created: Bool) -> AuditEntry,
                              on connection: PGConnection) throws -> Saved? {
        let item = try connection.query("SELECT institution_id, action FROM work_items WHERE id = \(workItemID)")
        guard item.rowCount == 1, let institutionID = try item.int64(0, 0), let itemAction = item.string(0, 1) else {
            return nil
        }
        let compressed = StateCompression.compress(text)
        // `xmax = 0` holds exactly for a row version this statement inserted (an ON CONFLICT update
        // leaves the locking transaction's id there): the usual way to tell insert from update.
        let result = try connection.query("""
            INSERT INTO work_item_states AS ws (work_item_id, action, state)
            VALUES (\(workItemID), \(action ?? itemAction), \(compressed))
            ON CONFLICT (work_item_id) DO UPDATE
                SET action = coalesce(\(action), ws.action), state = EXCLUDED.state, updated_at = now()
            RETURNING ws.id, ws.work_item_id, ws.action, ws.created_at, ws.updated_at, (ws.xmax = 0)
            """)
        let saved = try savedRow(result, created: try result.bool(0, 5) ?? false)
        try appendAudit(audit(saved.created), saved: saved, institutionID: institutionID, textBytes: text.count,
                        on: connection)
        return saved
    }

    /// Replaces the text and/or `action` of state `id`; nil fields stay. nil when it does not exist.
    public static func update(id: Int64, action: String?, text: [UInt8]?, institutionID: Int64, audit: AuditEntry,
                              on connection: PGConnection) throws -> Saved? {
        let compressed = text.map(StateCompression.compress)
        let result = try connection.query("""
            UPDATE work_item_states SET action = coalesce(\(action), action), state = coalesce(\(compressed), state),
                updated_at = now()
            WHERE id = \(id)
            RETURNING id, work_item_id, action, created_at, updated_at
            """)
        guard result.rowCount == 1 else { return nil }
        let saved = try savedRow(result, created: false)
        try appendAudit(audit, saved: saved, institutionID: institutionID, textBytes: text?.count, on: connection)
        return saved
    }

    /// The stored row of state `id` with its text inflated, or nil.
    public static func read(id: Int64, on connection: PGConnection) throws -> (saved: Saved, text: [UInt8])? {
        let result = try connection.query("""
            SELECT id, work_item_id, action, created_at, updated_at, state FROM work_item_states WHERE id = \(id)
            """)
        guard result.rowCount == 1 else { return nil }
        let saved = try savedRow(result, created: false)
        let text = try StateCompression.decompress(try result.bytea(0, 5) ?? [])
        return (saved, text)
    }

    private static func savedRow(_ result: PGResult, created: Bool) throws -> Saved {
        guard result.rowCount == 1, let id = try result.int64(0, 0), let workItemID = try result.int64(0, 1),
              let action = result.string(0, 2), let createdAt = try result.timestamp(0, 3),
              let updatedAt = try result.timestamp(0, 4) else {
            throw PGError(kind: .other, message: "work_item_states row incomplete")
        }
        return Saved(id: id, workItemID: workItemID, action: action, createdAt: createdAt, updatedAt: updatedAt,
                     created: created)
    }

    private static func appendAudit(_ audit: AuditEntry, saved: Saved, institutionID: Int64, textBytes: Int?,
                                    on connection: PGConnection) throws {
        var entry = audit
        entry.resourceType = "work_item_state"
        entry.resourceID = saved.id
        entry.institutionID = institutionID
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        writer.field("work_item_id", saved.workItemID)
        writer.field("state_bytes", textBytes.map { Int64($0) })
        writer.endObject()
        entry.details = writer.bytes
        try AuditLog.append(entry, on: connection)
    }
}
