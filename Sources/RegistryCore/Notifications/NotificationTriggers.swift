import Formats
import Postgres

/// The notification triggers of api-v2.md §11 (API-130..134, domain.md §8.9): each call collects
/// the events or work items not yet linked to a notification of its type (DOM-140), groups them by
/// institution and writes one notification per institution, linked to its records, plus the audit
/// row — all in the caller's transaction. Calling a trigger twice in a row creates nothing the
/// second time.
public enum NotificationTriggers {
    /// API-130: failed fixity checks (domain.md §8.8) created since `since` → `multiple_fixity`,
    /// addressed to the institution's active inst admins plus OPS_EMAIL. Returns the new ids.
    public static func failedFixity(since: Timestamp, context: TriggerContext, audit: AuditEntry,
                                    on connection: PGConnection) throws -> [Int64] {
        let type = "multiple_fixity"
        try TriggerBatch.lock(type, on: connection)
        // The failed-fixity alert's own condition, so alert and notification never disagree.
        var query: PGQuery = """
            SELECT e.id, e.institution_id, i.identifier, e.identifier::text,
                   coalesce(e.generic_file_identifier, e.intellectual_object_identifier)
            FROM premis_events e JOIN institutions i ON i.id = e.institution_id
            """
        let scope = AlertScope(since: since, stalledBefore: since, institutionID: nil)
        query.append(AlertQueries.whereClause(.failedFixity, scope))
        query.append("""
             AND NOT EXISTS (SELECT 1 FROM notification_events ne JOIN notifications n ON n.id = ne.notification_id
                            WHERE ne.premis_event_id = e.id AND n.notification_type = 'multiple_fixity')
            ORDER BY e.institution_id, e.id
            """)
        let result = try connection.query(query)
        var items: [TriggerItem] = []
        for row in 0..<result.rowCount {
            guard let id = try result.int64(row, 0), let institutionID = try result.int64(row, 1) else { continue }
            items.append(TriggerItem(id: id, institutionID: institutionID, institution: result.string(row, 2) ?? "",
                                     identifier: result.string(row, 4) ?? "", path: "/events/",
                                     pathIdentifier: result.string(row, 3) ?? ""))
        }
        return try create(type, trigger: "failed_fixity", items: items, linksEvents: true, context: context,
                          audit: audit, on: connection) { group in
            let subject = TriggerMessages.failedFixitySubject(institution: group.institution, count: group.items.count)
            return (subject, TriggerMessages.failedFixityHeader(subject: subject), nil)
        }
    }

    /// API-131: `Restore` items at `Success` in stage `Resolve` or `Record` (**[Fix]** the workers
    /// finish at `Resolve`) updated since `since` → `multiple_restoration`.
    public static func successfulRestorations(since: Timestamp, context: TriggerContext, audit: AuditEntry,
                                              on connection: PGConnection) throws -> [Int64] {
        let type = "multiple_restoration"
        try TriggerBatch.lock(type, on: connection)
        let result = try connection.query("""
            SELECT w.id, w.institution_id, i.identifier, coalesce(w.generic_file_identifier, w.object_identifier, w.name)
            FROM work_items w JOIN institutions i ON i.id = w.institution_id
            WHERE w.status = 'Success' AND w.action = 'Restore' AND w.stage IN ('Resolve', 'Record')
              AND w.updated_at >= \(since)
              AND NOT EXISTS (SELECT 1 FROM notification_work_items nw JOIN notifications n ON n.id = nw.notification_id
                              WHERE nw.work_item_id = w.id AND n.notification_type = 'multiple_restoration')
            ORDER BY w.institution_id, w.id
            """)
        let items = try workItems(result)
        return try create(type, trigger: "successful_restoration", items: items, linksEvents: false, context: context,
                          audit: audit, on: connection) { group in
            let subject = TriggerMessages.restorationSubject(institution: group.institution, count: group.items.count)
            return (subject, TriggerMessages.restorationHeader(subject: subject), nil)
        }
    }

    /// API-133: `Delete` items at `Resolve`/`Success` updated since `since` →
    /// `deletion_notifications` with the `deletions.csv` attachment.
    public static func deletions(since: Timestamp, context: TriggerContext, audit: AuditEntry,
                                 on connection: PGConnection) throws -> [Int64] {
        let type = "deletion_notifications"
        try TriggerBatch.lock(type, on: connection)
        let result = try connection.query("""
            SELECT w.id, w.institution_id, i.identifier, coalesce(w.generic_file_identifier, w.object_identifier, w.name),
                   w.date, w."user", w.inst_approver, w.aptrust_approver
            FROM work_items w JOIN institutions i ON i.id = w.institution_id
            WHERE w.status = 'Success' AND w.action = 'Delete' AND w.stage = 'Resolve' AND w.updated_at >= \(since)
              AND NOT EXISTS (SELECT 1 FROM notification_work_items nw JOIN notifications n ON n.id = nw.notification_id
                              WHERE nw.work_item_id = w.id AND n.notification_type = 'deletion_notifications')
            ORDER BY w.institution_id, w.id
            """)
        var items = try workItems(result)
        for row in 0..<items.count {
            items[row].csvRow = [items[row].identifier, try result.timestamp(row, 4)?.apiString, result.string(row, 5),
                                 result.string(row, 6), result.string(row, 7)]
        }
        return try create(type, trigger: "deletion", items: items, linksEvents: false, context: context,
                          audit: audit, on: connection) { group in
            let subject = TriggerMessages.deletionsSubject(institution: group.institution, count: group.items.count)
            let csv = DeletionsCSV.make(group.items.map(\.csvRow))
            return (subject, TriggerMessages.deletionsHeader(subject: subject),
                    (DeletionsCSV.name, DeletionsCSV.contentType, csv))
        }
    }

    /// Work item rows (id, institution id, institution identifier, line identifier, …) as items
    /// linking to `/items/<id>`.
    static func workItems(_ result: PGResult) throws -> [TriggerItem] {
        var items: [TriggerItem] = []
        items.reserveCapacity(result.rowCount)
        for row in 0..<result.rowCount {
            guard let id = try result.int64(row, 0), let institutionID = try result.int64(row, 1) else { continue }
            items.append(TriggerItem(id: id, institutionID: institutionID, institution: result.string(row, 2) ?? "",
                                     identifier: result.string(row, 3) ?? "", path: "/items/", pathIdentifier: String(id)))
        }
        return items
    }

    typealias Message = (subject: String, header: [String],
                         attachment: (name: String, contentType: String, bytes: [UInt8])?)

    /// One notification per institution (DOM-141a recipients), linked to its items; then the audit
    /// row (DOM-82), also when nothing was created.
    private static func create(_ type: String, trigger: String, items: [TriggerItem], linksEvents: Bool,
                               context: TriggerContext, audit: AuditEntry, on connection: PGConnection,
                               message: (TriggerGroup) -> Message) throws -> [Int64] {
        let groups = TriggerBatch.groups(items)
        var ids: [Int64] = []
        if !groups.isEmpty {
            let admins = try TriggerBatch.institutionalAdmins(of: groups.map(\.institutionID), on: connection)
            for group in groups {
                var recipients = admins[group.institutionID] ?? []
                if type == "multiple_fixity", let ops = context.opsEmail,
                   !recipients.contains(where: { $0.utf8.elementsEqual(ops.utf8) }) {
                    recipients.append(ops)
                }
                let text = message(group)
                let notification = NewNotification(
                    type: type, institutionID: group.institutionID, recipients: recipients, subject: text.subject,
                    body: TriggerBatch.body(header: text.header, group, base: context.baseURL), attachment: text.attachment)
                ids.append(try TriggerBatch.insert(notification, group, linksEvents: linksEvents, on: connection))
            }
        }
        var entry = audit
        entry.details = TriggerBatch.auditDetails(trigger: trigger, notificationIDs: ids)
        // API-130: a run that creates nothing is answered 204.
        if ids.isEmpty { entry.status = 204 }
        try AuditLog.append(entry, on: connection)
        return ids
    }
}
