import Formats
import Postgres

/// The Notification representation of api-v2.md §8, on alias `n`: `id`, `notification_type`,
/// `institution_id`, `recipients`, `subject`, `body`, `attachment_name`, `attachment_content_type`,
/// `status`, `attempts`, `last_error`, `deletion_request_id`, `created_at`, `sent_at`.
///
/// `recipients` is a text[]; PostgreSQL renders it as a JSON array (`array_to_json`), which is
/// copied into the response as it is — the other columns go through the shared `Representation`.
enum NotificationRepresentation {
    private static let head = Representation([
        ("id", "n.id", .integer),
        ("notification_type", "n.notification_type", .text),
        ("institution_id", "n.institution_id", .integer),
    ])
    private static let tail = Representation([
        ("subject", "n.subject", .text),
        ("body", "n.body", .text),
        ("attachment_name", "n.attachment_name", .text),
        ("attachment_content_type", "n.attachment_content_type", .text),
        ("status", "n.status", .text),
        ("attempts", "n.attempts", .integer),
        ("last_error", "n.last_error", .text),
        ("deletion_request_id", "n.deletion_request_id", .integer),
        ("created_at", "n.created_at", .timestamp),
        ("sent_at", "n.sent_at", .timestamp),
    ])

    static var selectList: PGQuery {
        var query = head.selectList
        query.appendUnescaped(", array_to_json(n.recipients), ")
        query.append(tail.selectList)
        return query
    }

    static func writeObject(_ result: PGResult, row: Int, into writer: inout JSONWriter) {
        writer.beginObject()
        head.writeMembers(result, row: row, into: &writer)
        writer.key("recipients")
        let recipients = head.columns.count
        if result.isNull(row, recipients) {
            writer.raw("[]")
        } else {
            result.withUnsafeBytes(row, recipients) { writer.raw($0) }
        }
        tail.writeMembers(result, row: row, offset: recipients + 1, into: &writer)
        writer.endObject()
    }
}
