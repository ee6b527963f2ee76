import Formats
import Postgres

/// finish_delete (domain.md DOM-124, DOM-125, DOM-126; api-v2.md routes #10, #20): the worker
/// reports that a file's (or an object's) copies are gone, and the registry sets it to `D` with
/// everything that follows — storage records superseded (DOM-65), object counts (DOM-70), the
/// object `deletion` event (DOM-125), completed requests (DOM-126) — and the `deletion.finish` audit
/// row, in one transaction.
public enum DeletionFinishStore {
    public enum Outcome: Sendable, Equatable {
        case finished
        /// Already `D`: nothing changed (idempotent 204).
        case alreadyDeleted
    }

    /// DOM-124. Throws `.conflict` unless an approved request covers the file or its object and the
    /// file has a successful `deletion` event later than its latest `ingestion` event.
    public static func finishFile(_ file: FileRef, context: WorkflowContext, database: Database) throws -> Outcome {
        try database.transaction { connection in
            _ = try FileWriteLocks.object(id: file.object.id, on: connection)
            let current = try connection.query("SELECT state, size FROM generic_files WHERE id = \(file.id) FOR NO KEY UPDATE")
            guard current.rowCount == 1 else { throw PGError(kind: .other, message: "file \(file.id) vanished") }
            guard current.string(0, 0) == "A" else {
                try audit(file: file, context: context, changed: false, on: connection)
                return .alreadyDeleted
            }
            let candidates = try DeletionCompletion.candidates(fileID: file.id, objectID: file.object.id, on: connection)
            guard !candidates.isEmpty else {
                throw RegistryError.conflict("no approved deletion request covers file \(file.identifier)")
            }
            let events = try connection.query("""
                SELECT max(date_time) FILTER (WHERE event_type = 'ingestion'),
                       max(date_time) FILTER (WHERE event_type = 'deletion' AND outcome = 'Success')
                FROM premis_events WHERE generic_file_id = \(file.id)
                """)
            let ingested = try events.timestamp(0, 0)
            guard let deleted = try events.timestamp(0, 1), ingested.map({ deleted > $0 }) ?? true else {
                throw RegistryError.conflict(
                    "file \(file.identifier) has no successful deletion event later than its latest ingestion event")
            }
            let size = try current.int64(0, 1) ?? 0
            _ = try connection.query("UPDATE generic_files SET state = 'D', updated_at = now() WHERE id = \(file.id)")
            // DOM-65: the file's copies are gone, so none of its storage records is current.
            _ = try connection.query("""
                UPDATE storage_records SET superseded_at = now(), updated_at = now()
                WHERE generic_file_id = \(file.id) AND superseded_at IS NULL
                """)
            try ObjectFileCounts.adjust(objectID: file.object.id, count: -1, size: -size, on: connection)
            try DeletionCompletion.completeFinished(candidates, context: context, on: connection)
            try audit(file: file, context: context, changed: true, on: connection)
            return .finished
        }
    }

    /// DOM-125. Throws `.conflict` if a file of the object is active, or if neither every one of its
    /// (at least one) files is deleted nor an approved object or bulk request lists the object.
    public static func finishObject(_ object: ObjectRef, context: WorkflowContext, database: Database) throws -> Outcome {
        // Counted only after the commit: a rolled-back finish stored no event.
        var eventsWritten = 0
        let outcome = try database.transaction { connection -> Outcome in
            // Lock order: the chain head first (the object event is appended under it), then the object.
            try FileWriteLocks.chainHead(institutionID: object.institutionID, on: connection)
            let locked = try FileWriteLocks.object(id: object.id, on: connection)
            guard locked.state == "A" else {
                try audit(object: object, context: context, changed: false, on: connection)
                return .alreadyDeleted
            }
            let files = try connection.query("""
                SELECT count(*) FILTER (WHERE state = 'A'), count(*) FROM generic_files WHERE intellectual_object_id = \(object.id)
                """)
            let active = try files.int64(0, 0) ?? 0
            let total = try files.int64(0, 1) ?? 0
            guard active == 0 else {
                throw RegistryError.conflict("object \(object.identifier) still has \(active) active "
                                             + (active == 1 ? "file" : "files"))
            }
            let candidates = try DeletionCompletion.candidates(objectIDs: [object.id], on: connection)
            guard total > 0 || !candidates.isEmpty else {
                throw RegistryError.conflict("no approved deletion request covers object \(object.identifier)")
            }
            let request: DeletionRequestRecord? = if let newest = candidates.max() {
                try DeletionRequestRecord.load(id: newest, on: connection)
            } else {
                try ObjectDeletion.approvalsFromFiles(objectID: object.id, on: connection)
            }
            let approvals = request.map(ObjectDeletion.Approvals.init)
                ?? ObjectDeletion.Approvals(requester: context.caller.email, institutionalApprover: nil, aptrustApprover: nil)
            eventsWritten = try ObjectDeletion.finish(objectIDs: [object.id], institutionID: object.institutionID,
                                                      institutionIdentifier: object.institutionIdentifier, approvals: approvals,
                                                      serverAgent: context.serverAgent, on: connection)
            try DeletionCompletion.completeFinished(candidates, context: context, on: connection)
            try audit(object: object, context: context, changed: true, on: connection)
            return .finished
        }
        context.deletionEventsCommitted(eventsWritten)
        return outcome
    }

    private static func audit(file: FileRef, context: WorkflowContext, changed: Bool, on connection: PGConnection) throws {
        try AuditLog.append(context.audit(
            "deletion.finish", resourceType: "generic_file", resourceID: file.id, resourceIdentifier: file.identifier,
            institutionID: file.object.institutionID, status: 204, details: details(changed: changed)), on: connection)
    }

    private static func audit(object: ObjectRef, context: WorkflowContext, changed: Bool, on connection: PGConnection) throws {
        try AuditLog.append(context.audit(
            "deletion.finish", resourceType: "intellectual_object", resourceID: object.id,
            resourceIdentifier: object.identifier, institutionID: object.institutionID, status: 204,
            details: details(changed: changed)), on: connection)
    }

    /// `{"changes": {"state": ["A", "D"]}}`, or `{"already_deleted": true}` for the idempotent repeat.
    private static func details(changed: Bool) -> [UInt8] {
        changed ? AuditDetails.changes([("state", "A", "D")]) : Array(#"{"already_deleted":true}"#.utf8)
    }
}
