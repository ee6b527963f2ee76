import Formats
import Postgres

/// A notification to put in the outbox (domain.md §4.11, §8.9). The registry never sends mail: an
/// external relay drains the outbox through the API (api-v2.md §11).
public struct NewNotification: Sendable {
    public var type: String
    /// DOM-141a: every notification concerns exactly one institution.
    public var institutionID: Int64
    public var recipients: [String]
    public var subject: String
    /// text/plain, LF line ends, in the DOM-141b layout (see `NotificationOutbox.body`).
    public var body: String
    public var attachment: (name: String, contentType: String, bytes: [UInt8])?
    public var deletionRequestID: Int64?

    public init(type: String, institutionID: Int64, recipients: [String], subject: String, body: String,
                attachment: (name: String, contentType: String, bytes: [UInt8])? = nil, deletionRequestID: Int64? = nil) {
        self.type = type
        self.institutionID = institutionID
        self.recipients = recipients
        self.subject = subject
        self.body = body
        self.attachment = attachment
        self.deletionRequestID = deletionRequestID
    }
}

/// Writes notifications in the caller's transaction, so a notification exists exactly when the
/// change that causes it commits (domain.md §8.9, OPS-68).
public enum NotificationOutbox {
    /// Inserts the notification; returns its id. Links to events or work items (DOM-140
    /// de-duplication) are written with `link(events:)` / `link(workItems:)`.
    public static func insert(_ notification: NewNotification, on connection: PGConnection) throws -> Int64 {
        let result = try connection.query("""
            INSERT INTO notifications (notification_type, institution_id, recipients, subject, body,
                                       attachment_name, attachment_content_type, attachment, deletion_request_id)
            VALUES (\(notification.type), \(notification.institutionID), \(notification.recipients), \(notification.subject),
                    \(notification.body), \(notification.attachment?.name), \(notification.attachment?.contentType),
                    \(notification.attachment?.bytes), \(notification.deletionRequestID))
            RETURNING id
            """)
        guard let id = try result.int64(0, 0) else { throw PGError(kind: .other, message: "insert returned no id") }
        return id
    }

    public static func link(notificationID: Int64, events eventIDs: [Int64], on connection: PGConnection) throws {
        guard !eventIDs.isEmpty else { return }
        _ = try connection.query("""
            INSERT INTO notification_events (notification_id, premis_event_id)
            SELECT \(notificationID), unnest(\(eventIDs)::bigint[])
            """)
    }

    public static func link(notificationID: Int64, workItems itemIDs: [Int64], on connection: PGConnection) throws {
        guard !itemIDs.isEmpty else { return }
        _ = try connection.query("""
            INSERT INTO notification_work_items (notification_id, work_item_id)
            SELECT \(notificationID), unnest(\(itemIDs)::bigint[])
            """)
    }

    /// DOM-141b: header lines; then, when there are items, one empty line and one line per item,
    /// `<identifier> <absolute URL>`; LF between lines; nothing after the item lines — not even a
    /// final LF, so splitting the body on LF yields exactly the header, the empty line and the items.
    public static func body(header: [String], items: [(identifier: String, url: String)]) -> String {
        var text = header.joined(separator: "\n")
        if !items.isEmpty {
            text += "\n\n" + items.map { "\($0.identifier) \($0.url)" }.joined(separator: "\n")
        }
        return text
    }

    /// An absolute link to an HTML page for `identifier` (`/objects/<obj>`, `/files/<file>`…), with the
    /// identifier percent-encoded as html.md requires for links.
    public static func link(base: String, path: String, identifier: String) -> String {
        base + path + PercentEncoding.encode(identifier)
    }
}
