import Formats
import RegistryCore

/// Reading work item bodies (api-v2.md API-23..26, API-106, API-107; domain.md §4.8). Every field
/// error of the record is collected before anything is stored (API-52).
enum WorkItemBody {
    static let wrapper = "work_item"

    /// Field limits of domain.md §4.8 (and DOM-11/13 for the identifiers).
    static let maxName = 1024
    static let maxShortText = 255
    static let maxObjectIdentifier = 1024
    static let maxFileIdentifier = 4096

    /// The record of a create (API-106) with the positive reference ids the body sent.
    struct Create {
        var record: WorkItemRecord
        var objectID: Int64?
        var fileID: Int64?
    }

    /// API-52: `errors` of `body` (create or update) with those of the ids it names that exist
    /// nowhere, so that a 422 lists both at once. An id with an error of its own is not looked up.
    static func withReferenceErrors(_ errors: FieldErrors, of body: JSONObject, database: Database) throws -> FieldErrors {
        var fields = FieldReader(body)
        func id(_ key: String) -> Int64? { errors.messages(for: key).isEmpty ? fields.referenceID(key) : nil }
        let institutionID = id("institution_id"), objectID = id("intellectual_object_id")
        let fileID = id("generic_file_id"), deletionRequestID = id("deletion_request_id")
        guard institutionID != nil || objectID != nil || fileID != nil || deletionRequestID != nil else { return errors }
        var all = errors
        all.merge(try database.read { connection in
            try WorkItemReferences.unknownIDs(institutionID: institutionID, objectID: objectID, fileID: fileID,
                                              deletionRequestID: deletionRequestID, on: connection)
        })
        return all
    }

    static func create(_ body: JSONObject, caller: Caller, now: Timestamp) throws(RegistryError) -> Create {
        var fields = FieldReader(body)
        let name = fields.requiredString("name", maxBytes: maxName)
        let action = fields.vocabulary("action", Vocabulary.workItemAction, required: true).value
        // API-106: etag is required only for Ingest; otherwise absent, null and "" are all NULL.
        let etag = action == "Ingest"
            ? fields.requiredString("etag", maxBytes: maxShortText)
            : fields.optionalString("etag", maxBytes: maxShortText).value
        let bagDate = fields.requiredTimestamp("bag_date")
        let bucket = fields.requiredString("bucket", maxBytes: maxShortText)
        let institutionID = fields.referenceID("institution_id")
        if institutionID == nil && !fields.hasError("institution_id") { fields.fail("institution_id", "can't be blank") }
        let note = fields.note()
        let stage = fields.vocabulary("stage", Vocabulary.workItemStage, required: true).value
        let status = fields.vocabulary("status", Vocabulary.workItemStatus, required: true).value
        let outcome = fields.requiredString("outcome")
        let user = fields.optionalString("user").value ?? caller.email
        let date = fields.timestamp("date").value ?? now
        let retry = fields.boolean("retry").value ?? false
        let needsAdminReview = fields.boolean("needs_admin_review").value ?? false
        let objectIdentifier = fields.optionalString("object_identifier", maxBytes: maxObjectIdentifier).value
        let fileIdentifier = fields.optionalString("generic_file_identifier", maxBytes: maxFileIdentifier).value
        let objectID = fields.referenceID("intellectual_object_id")
        let fileID = fields.referenceID("generic_file_id")
        let node = fields.optionalString("node", maxBytes: maxShortText).value
        let pid = fields.pid().value ?? 0
        let queuedAt = fields.timestamp("queued_at").value
        let stageStartedAt = fields.timestamp("stage_started_at").value
        let size = fields.size().value
        let instApprover = fields.optionalString("inst_approver").value
        let aptrustApprover = fields.optionalString("aptrust_approver").value
        let deletionRequestID = fields.referenceID("deletion_request_id")
        try fields.errors.throwIfAny()
        guard let name, let action, let bagDate, let bucket, let institutionID, let note, let stage, let status,
              let outcome, action != "Ingest" || etag != nil else {
            // Unreachable: every nil above recorded a field error.
            throw .validation(FieldErrors("name", "is invalid"))
        }
        let record = WorkItemRecord(
            name: name, etag: etag, bagDate: bagDate, bucket: bucket, user: user, institutionID: institutionID,
            date: date, note: note, outcome: outcome, action: action, stage: stage, status: status, retry: retry,
            needsAdminReview: needsAdminReview, objectIdentifier: objectIdentifier, genericFileIdentifier: fileIdentifier,
            node: node, pid: pid, queuedAt: queuedAt, stageStartedAt: stageStartedAt, size: size,
            instApprover: instApprover, aptrustApprover: aptrustApprover, deletionRequestID: deletionRequestID)
        return Create(record: record, objectID: objectID, fileID: fileID)
    }

    /// API-107: absent fields stay; `null` clears a nullable field and is a 422 for a required one;
    /// `""` in optional text is NULL (DOM-66a); `action` and `institution_id` only unchanged.
    static func changes(_ body: JSONObject, of item: WorkItemRef) throws(RegistryError) -> WorkItemChanges {
        var fields = FieldReader(body)
        var changes = WorkItemChanges()
        if let sent = body["action"] {
            // API-25 first: a value of the wrong type is reported as such, not as a change.
            if sent.isNull {
                fields.fail("action", "can't be blank")
            } else if let text = sent.stringValue {
                // §3: a value outside the vocabulary says so, before the immutability rule.
                if !Vocabulary.workItemAction.containsExactly(text) {
                    fields.fail("action", "is not included in the list")
                } else if !text.utf8.elementsEqual(item.action.utf8) {
                    fields.fail("action", "cannot be changed")
                }
            } else {
                fields.fail("action", "must be a string")
            }
        }
        if case .value(let id) = fields.integer("institution_id"), id != 0, id != item.institutionID {
            fields.fail("institution_id", "cannot be changed")
        }
        changes.name = fields.presentRequiredString("name", maxBytes: maxName)
        changes.etag = fields.nullableText("etag", maxBytes: maxShortText)
        if body["bag_date"] != nil { changes.bagDate = fields.requiredTimestamp("bag_date") }
        changes.bucket = fields.presentRequiredString("bucket", maxBytes: maxShortText)
        changes.user = fields.presentRequiredString("user")
        if body["date"] != nil { changes.date = fields.requiredTimestamp("date") }
        if body["note"] != nil { changes.note = fields.note() }
        changes.outcome = fields.presentRequiredString("outcome")
        if body["stage"] != nil { changes.stage = fields.vocabulary("stage", Vocabulary.workItemStage, required: true).value }
        if body["status"] != nil { changes.status = fields.vocabulary("status", Vocabulary.workItemStatus, required: true).value }
        changes.retry = fields.presentBoolean("retry")
        changes.needsAdminReview = fields.presentBoolean("needs_admin_review")
        changes.objectIdentifier = fields.nullableText("object_identifier", maxBytes: maxObjectIdentifier)
        changes.genericFileIdentifier = fields.nullableText("generic_file_identifier", maxBytes: maxFileIdentifier)
        changes.intellectualObjectID = fields.referenceID("intellectual_object_id")
        changes.genericFileID = fields.referenceID("generic_file_id")
        changes.node = fields.nullableText("node", maxBytes: maxShortText)
        switch fields.pid() {
        case .absent: break
        case .null: fields.fail("pid", "can't be blank")
        case .value(let pid): changes.pid = pid
        }
        changes.queuedAt = nullable(fields.timestamp("queued_at"))
        changes.stageStartedAt = nullable(fields.timestamp("stage_started_at"))
        changes.size = nullable(fields.size())
        changes.instApprover = fields.nullableText("inst_approver")
        changes.aptrustApprover = fields.nullableText("aptrust_approver")
        changes.deletionRequestID = switch fields.integer("deletion_request_id") {
        case .absent, .value(0): .unchanged
        case .null: .clear
        case .value(let id): .set(id)
        }
        try fields.errors.throwIfAny()
        return changes
    }

    private static func nullable<Value>(_ field: Field<Value>) -> WorkItemChanges.Nullable<Value> {
        switch field {
        case .absent: .unchanged
        case .null: .clear
        case .value(let value): .set(value)
        }
    }
}

extension FieldReader {
    func hasError(_ key: String) -> Bool {
        !errors.messages(for: prefix + key).isEmpty
    }

    /// DOM-6 [Compat]: `note` is required, and a longer one is truncated rather than refused.
    mutating func note() -> String? {
        let before = errors.entries.count
        if case .value(let text) = rawString("note", maxBytes: Int.max),
           !text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return WorkItemRules.truncatedNote(text)
        }
        if errors.entries.count == before { fail("note", "can't be blank") }
        return nil
    }

    /// `pid`: an integer within int32 (API-25), at least 0.
    mutating func pid() -> Field<Int64> {
        let field = integer("pid")
        guard case .value(let pid) = field else { return field }
        guard pid <= Int64(Int32.max) && pid >= Int64(Int32.min) else {
            fail("pid", "must be an integer")
            return .absent
        }
        guard pid >= 0 else {
            fail("pid", "must be greater than or equal to 0")
            return .absent
        }
        return field
    }

    /// `size`: at least 0.
    mutating func size() -> Field<Int64> {
        let field = integer("size")
        if case .value(let size) = field, size < 0 {
            fail("size", "must be greater than or equal to 0")
            return .absent
        }
        return field
    }

    /// A required text field of an update: nil when absent (unchanged); `null` or blank is a 422.
    mutating func presentRequiredString(_ key: String, maxBytes: Int = FieldReader.maxTextBytes) -> String? {
        guard record[key] != nil else { return nil }
        return requiredString(key, maxBytes: maxBytes)
    }

    /// A required boolean of an update: nil when absent (DOM-66); `null` is a 422.
    mutating func presentBoolean(_ key: String) -> Bool? {
        switch boolean(key) {
        case .absent: return nil
        case .null:
            fail(key, "can't be blank")
            return nil
        case .value(let flag): return flag
        }
    }

    /// Optional text of an update: `null` and `""` clear it (DOM-66a).
    mutating func nullableText(_ key: String, maxBytes: Int = FieldReader.maxTextBytes) -> WorkItemChanges.Nullable<String> {
        switch optionalString(key, maxBytes: maxBytes) {
        case .absent: .unchanged
        case .null: .clear
        case .value(let text): .set(text)
        }
    }
}
