import Formats
import Postgres

/// Writes work items (api-v2.md API-106, API-107; domain.md DOM-66..75, DOM-100, DOM-115). Each
/// function runs inside the caller's transaction and appends the request's one audit row there
/// (DOM-82), so the change and its record commit together.
public enum WorkItemStore {
    /// Inserts `record` (DOM-75 applied) and returns its id. `audit` is completed with the id, the
    /// item's name and institution. A missing institution is a 422 on `institution_id`.
    public static func create(_ record: WorkItemRecord, bodyObjectID: Int64?, bodyFileID: Int64?, audit: AuditEntry,
                              on connection: PGConnection) throws -> Int64 {
        let institution = try connection.query("SELECT 1 FROM institutions WHERE id = \(record.institutionID)")
        guard institution.rowCount == 1 else {
            throw RegistryError.validation(FieldErrors("institution_id", "is invalid"))
        }
        var record = record
        try WorkItemReferences.resolve(&record, bodyObjectID: bodyObjectID, bodyFileID: bodyFileID, on: connection)
        let inserted = try connection.query(insert(record))
        guard let id = try inserted.int64(0, 0) else { throw PGError(kind: .other, message: "INSERT returned no id") }
        var entry = audit
        entry.resourceID = id
        entry.resourceIdentifier = record.name
        entry.institutionID = record.institutionID
        try AuditLog.append(entry, on: connection)
        return id
    }

    /// Applies `changes` to the stored item (row-locked), derives (DOM-75), writes every column and
    /// the audit row with `{"changes": {field: [old, new]}}`. False when the item does not exist.
    public static func update(id: Int64, _ changes: WorkItemChanges, audit: AuditEntry,
                              on connection: PGConnection) throws -> Bool {
        guard let stored = try WorkItemRecord.loadForUpdate(id: id, on: connection) else { return false }
        var record = changes.applied(to: stored)
        try WorkItemReferences.resolve(&record, bodyObjectID: changes.intellectualObjectID,
                                       bodyFileID: changes.genericFileID, on: connection)
        var log = WorkItemChangeLog.between(stored, record)
        try save(record, id: id, details: log.finish(), audit: audit, on: connection)
        return true
    }

    /// DOM-115: 409 for a `Success` item; otherwise the resets and `plan`, the state row deleted when
    /// the plan says so, and a `work_item.requeue` audit row. False when the item does not exist.
    public static func requeue(id: Int64, plan: RequeuePlan, audit: AuditEntry, on connection: PGConnection) throws -> Bool {
        guard let stored = try WorkItemRecord.loadForUpdate(id: id, on: connection) else { return false }
        guard stored.status != "Success" else {
            throw RegistryError.conflict("work item \(id) has status Success and cannot be requeued")
        }
        var record = plan.applied(to: stored)
        try WorkItemReferences.resolve(&record, bodyObjectID: nil, bodyFileID: nil, on: connection)
        var stateDeleted = false
        if plan.deletesState {
            stateDeleted = try connection.query("DELETE FROM work_item_states WHERE work_item_id = \(id)").affectedRows > 0
        }
        var log = WorkItemChangeLog.between(stored, record)
        let details = log.finish { writer in
            writer.field("stage", plan.stage)
            writer.field("state_deleted", stateDeleted)
        }
        try save(record, id: id, details: details, audit: audit, on: connection)
        return true
    }

    /// Writes every column (last writer wins, API-107) and `updated_at` — also when nothing changed
    /// (DOM-7: set on every update) — and the audit row (DOM-82).
    private static func save(_ record: WorkItemRecord, id: Int64, details: [UInt8], audit: AuditEntry,
                             on connection: PGConnection) throws {
        _ = try connection.query(update(record, id: id))
        var entry = audit
        entry.resourceID = id
        entry.resourceIdentifier = record.name
        entry.institutionID = record.institutionID
        entry.details = details
        try AuditLog.append(entry, on: connection)
    }

    private static func insert(_ r: WorkItemRecord) -> PGQuery {
        """
        INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, date, note, outcome, action, stage,
                                status, retry, needs_admin_review, object_identifier, generic_file_identifier,
                                intellectual_object_id, generic_file_id, node, pid, queued_at, stage_started_at, size,
                                inst_approver, aptrust_approver, deletion_request_id)
        VALUES (\(r.name), \(r.etag), \(r.bagDate), \(r.bucket), \(r.user), \(r.institutionID), \(r.date), \(r.note),
                \(r.outcome), \(r.action), \(r.stage), \(r.status), \(r.retry), \(r.needsAdminReview),
                \(r.objectIdentifier), \(r.genericFileIdentifier), \(r.intellectualObjectID), \(r.genericFileID),
                \(r.node), \(r.pid), \(r.queuedAt), \(r.stageStartedAt), \(r.size), \(r.instApprover),
                \(r.aptrustApprover), \(r.deletionRequestID))
        RETURNING id
        """
    }

    private static func update(_ r: WorkItemRecord, id: Int64) -> PGQuery {
        """
        UPDATE work_items SET name = \(r.name), etag = \(r.etag), bag_date = \(r.bagDate), bucket = \(r.bucket),
            "user" = \(r.user), date = \(r.date), note = \(r.note), outcome = \(r.outcome), stage = \(r.stage),
            status = \(r.status), retry = \(r.retry), needs_admin_review = \(r.needsAdminReview),
            object_identifier = \(r.objectIdentifier), generic_file_identifier = \(r.genericFileIdentifier),
            intellectual_object_id = \(r.intellectualObjectID), generic_file_id = \(r.genericFileID),
            node = \(r.node), pid = \(r.pid), queued_at = \(r.queuedAt), stage_started_at = \(r.stageStartedAt),
            size = \(r.size), inst_approver = \(r.instApprover), aptrust_approver = \(r.aptrustApprover),
            deletion_request_id = \(r.deletionRequestID), updated_at = now()
        WHERE id = \(id)
        """
    }
}
