import Formats

/// The `details` of a `work_item.update` / `work_item.requeue` audit row (domain.md §4.12):
/// `{"changes": {field: [old, new]}}` listing only the fields whose stored value changed, under
/// their wire names. The item's state blob is never part of it.
struct WorkItemChangeLog {
    private var writer = JSONWriter(capacity: 256)

    init() {
        writer.beginObject()
        writer.key("changes")
        writer.beginObject()
    }

    /// Compares every field of `old` and `new`. Text compares as UTF-8 bytes (DOM-5).
    static func between(_ old: WorkItemRecord, _ new: WorkItemRecord) -> WorkItemChangeLog {
        var log = WorkItemChangeLog()
        log.text("name", old.name, new.name)
        log.text("etag", old.etag, new.etag)
        log.timestamp("bag_date", old.bagDate, new.bagDate)
        log.text("bucket", old.bucket, new.bucket)
        log.text("user", old.user, new.user)
        log.text("note", old.note, new.note)
        log.text("action", old.action, new.action)
        log.text("stage", old.stage, new.stage)
        log.text("status", old.status, new.status)
        log.text("outcome", old.outcome, new.outcome)
        log.timestamp("date", old.date, new.date)
        log.boolean("retry", old.retry, new.retry)
        log.boolean("needs_admin_review", old.needsAdminReview, new.needsAdminReview)
        log.text("object_identifier", old.objectIdentifier, new.objectIdentifier)
        log.text("generic_file_identifier", old.genericFileIdentifier, new.genericFileIdentifier)
        log.integer("intellectual_object_id", old.intellectualObjectID, new.intellectualObjectID)
        log.integer("generic_file_id", old.genericFileID, new.genericFileID)
        log.integer("institution_id", old.institutionID, new.institutionID)
        log.text("node", old.node, new.node)
        log.integer("pid", old.pid, new.pid)
        log.timestamp("queued_at", old.queuedAt, new.queuedAt)
        log.integer("size", old.size, new.size)
        log.timestamp("stage_started_at", old.stageStartedAt, new.stageStartedAt)
        log.text("inst_approver", old.instApprover, new.instApprover)
        log.text("aptrust_approver", old.aptrustApprover, new.aptrustApprover)
        log.integer("deletion_request_id", old.deletionRequestID, new.deletionRequestID)
        return log
    }

    /// An extra member after `changes` (requeue parameters).
    mutating func finish(extra: (inout JSONWriter) -> Void = { _ in }) -> [UInt8] {
        writer.endObject()
        extra(&writer)
        writer.endObject()
        return writer.bytes
    }

    private mutating func text(_ key: StaticString, _ old: String?, _ new: String?) {
        switch (old, new) {
        case (nil, nil): return
        case let (old?, new?) where old.utf8.elementsEqual(new.utf8): return
        default: pair(key, { $0.optionalString(old) }, { $0.optionalString(new) })
        }
    }

    private mutating func integer(_ key: StaticString, _ old: Int64?, _ new: Int64?) {
        guard old != new else { return }
        pair(key, { $0.optionalInt(old) }, { $0.optionalInt(new) })
    }

    private mutating func boolean(_ key: StaticString, _ old: Bool, _ new: Bool) {
        guard old != new else { return }
        pair(key, { $0.bool(old) }, { $0.bool(new) })
    }

    private mutating func timestamp(_ key: StaticString, _ old: Timestamp?, _ new: Timestamp?) {
        guard old != new else { return }
        pair(key, { $0.optionalTimestamp(old) }, { $0.optionalTimestamp(new) })
    }

    private mutating func pair(_ key: StaticString, _ writeOld: (inout JSONWriter) -> Void,
                               _ writeNew: (inout JSONWriter) -> Void) {
        writer.key(key)
        writer.beginArray()
        writeOld(&writer)
        writeNew(&writer)
        writer.endArray()
    }
}

private extension JSONWriter {
    mutating func optionalString(_ value: String?) {
        if let value { string(value) } else { null() }
    }

    mutating func optionalInt(_ value: Int64?) {
        if let value { int(value) } else { null() }
    }

    mutating func optionalTimestamp(_ value: Timestamp?) {
        if let value { timestamp(value) } else { null() }
    }
}
