import Foundation
import Testing
import TestSupport

/// One outbox row as stored, for exact assertions (domain.md §4.11).
struct StoredNotification {
    let id: Int
    let type: String
    let institution: String
    let recipients: [String]
    let subject: String
    let body: String
    let attachmentName: String?
    let attachmentContentType: String?
    let status: String
    let attempts: Int
    let lastError: String?
    let sentAt: String?
}

extension AlertWorld {
    /// Every notification, in id order (optionally of one type).
    func notifications(type: String? = nil) throws -> [StoredNotification] {
        try sql("""
            SELECT n.id, n.notification_type, i.identifier, array_to_json(n.recipients)::text, n.subject, n.body,
                   n.attachment_name, n.attachment_content_type, n.status, n.attempts, n.last_error, n.sent_at::text
            FROM notifications n JOIN institutions i ON i.id = n.institution_id
            WHERE $1::text IS NULL OR n.notification_type = $1
            ORDER BY n.id
            """, [type]).map { row in
            let recipients = (try? JSONSerialization.jsonObject(with: Data((row[3] ?? "[]").utf8))) as? [String] ?? []
            return StoredNotification(
                id: Int(row[0] ?? "") ?? 0, type: row[1] ?? "", institution: row[2] ?? "", recipients: recipients,
                subject: row[4] ?? "", body: row[5] ?? "", attachmentName: row[6], attachmentContentType: row[7],
                status: row[8] ?? "", attempts: Int(row[9] ?? "") ?? -1, lastError: row[10], sentAt: row[11])
        }
    }

    /// The events (uuids) or work items (ids) linked to a notification, in id order.
    func linkedEvents(_ notificationID: Int) throws -> [String] {
        try sql("""
            SELECT e.identifier::text FROM notification_events ne JOIN premis_events e ON e.id = ne.premis_event_id
            WHERE ne.notification_id = $1 ORDER BY e.id
            """, [String(notificationID)]).compactMap { $0[0] }
    }

    func linkedItems(_ notificationID: Int) throws -> [Int] {
        try sql("SELECT work_item_id FROM notification_work_items WHERE notification_id = $1 ORDER BY work_item_id",
                [String(notificationID)]).compactMap { $0[0].flatMap { Int($0) } }
    }

    /// Row counts of the outbox tables, to show that a call created nothing.
    func outboxCounts() throws -> [Int] {
        [try count("notifications"), try count("notification_events"), try count("notification_work_items")]
    }

    /// An extra user straight in the database; `deactivated` sets `deactivated_at`.
    func makeUser(_ email: String, role: String, institution: String, deactivated: Bool = false) throws {
        _ = try registry.makeUser(email, role: role, institution: institution)
        if deactivated {
            try sql("UPDATE users SET deactivated_at = now() WHERE email = $1", [email])
        }
    }

    /// `http://127.0.0.1:<port>`: what the server sees as scheme and Host without PUBLIC_BASE_URL.
    var hostBase: String { "http://127.0.0.1:\(registry.port)" }
}
