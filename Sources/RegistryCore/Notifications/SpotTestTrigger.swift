import Postgres

/// API-132: `spot_test_restoration/{id}` — one `restoration_spot_test` notification per successful
/// `Restore` item, created the first time the restore worker reports the item and never again.
public enum SpotTestTrigger {
    public enum Outcome: Sendable, Equatable {
        /// The notification was created now.
        case created(notificationID: Int64)
        /// The item was notified before: nothing new (DOM-140).
        case alreadyNotified
    }

    /// Runs inside the caller's transaction. Throws `.notFound` when the item is gone and
    /// `.conflict` unless it is a `Restore` at `Success`.
    public static func run(workItemID: Int64, context: TriggerContext, audit: AuditEntry,
                           on connection: PGConnection) throws -> Outcome {
        // The row lock serializes two concurrent calls for the same item. The link check is a
        // separate, later statement on purpose: in READ COMMITTED a statement's snapshot is taken
        // when it starts, so only a statement begun after the lock was granted sees the link the
        // first call committed (a subquery of the locking statement would not).
        let result = try connection.query("""
            SELECT w.institution_id, i.identifier, w.action, w.status,
                   coalesce(w.generic_file_identifier, w.object_identifier, w.name)
            FROM work_items w JOIN institutions i ON i.id = w.institution_id
            WHERE w.id = \(workItemID)
            FOR NO KEY UPDATE OF w
            """)
        guard result.rowCount == 1, let institutionID = try result.int64(0, 0) else {
            throw RegistryError.notFound("work item not found: \(workItemID)")
        }
        guard result.string(0, 2) == "Restore", result.string(0, 3) == "Success" else {
            throw RegistryError.conflict("work item \(workItemID) is not a successful Restore")
        }
        var outcome = Outcome.alreadyNotified
        var ids: [Int64] = []
        let notified = try connection.query("""
            SELECT EXISTS (SELECT 1 FROM notification_work_items nw JOIN notifications n ON n.id = nw.notification_id
                           WHERE nw.work_item_id = \(workItemID) AND n.notification_type = 'restoration_spot_test')
            """)
        if try notified.bool(0, 0) != true {
            let institution = result.string(0, 1) ?? ""
            let item = TriggerItem(id: workItemID, institutionID: institutionID, institution: institution,
                                   identifier: result.string(0, 4) ?? "", path: "/items/", pathIdentifier: String(workItemID))
            let group = TriggerGroup(institutionID: institutionID, institution: institution, items: [item])
            let recipients = try TriggerBatch.institutionalAdmins(of: [institutionID], on: connection)[institutionID] ?? []
            let subject = TriggerMessages.spotTestSubject(institution: institution, workItemID: workItemID)
            let notification = NewNotification(
                type: "restoration_spot_test", institutionID: institutionID, recipients: recipients, subject: subject,
                body: TriggerBatch.body(header: TriggerMessages.spotTestHeader(subject: subject), group, base: context.baseURL))
            let id = try TriggerBatch.insert(notification, group, linksEvents: false, on: connection)
            ids = [id]
            outcome = .created(notificationID: id)
        }
        var entry = audit
        entry.details = TriggerBatch.auditDetails(trigger: "spot_test_restoration", notificationIDs: ids)
        try AuditLog.append(entry, on: connection)
        return outcome
    }
}
