import Postgres

/// The relay's reports on an outbox row (api-v2.md §11 routes #53, #54; domain.md DOM-141).
public enum NotificationDelivery {
    /// Marks the row `sent` and redacts every `token=<64 hex>` of its body to `token=[redacted]`
    /// (DOM-141: bodies can carry confirmation and password tokens). Repeating it changes nothing
    /// but `updated_at`: `sent_at` keeps the first report. Returns false when the row is gone.
    public static func markSent(id: Int64, audit: AuditEntry, on connection: PGConnection) throws -> Bool {
        let result = try connection.query("""
            UPDATE notifications
            SET status = 'sent', sent_at = coalesce(sent_at, now()), updated_at = now(),
                body = regexp_replace(body, 'token=[0-9a-f]{64}', 'token=[redacted]', 'g')
            WHERE id = \(id)
            RETURNING institution_id
            """)
        guard result.rowCount == 1 else { return false }
        try AuditLog.append(audit, on: connection)
        return true
    }

    /// Marks the row `failed`: `attempts` + 1, `last_error` = `error`. A row already `sent` is a
    /// 409 — a late failure report must not undo a delivery. Returns false when the row is gone.
    public static func markFailed(id: Int64, error: String, audit: AuditEntry, on connection: PGConnection) throws -> Bool {
        let result = try connection.query("""
            UPDATE notifications
            SET status = 'failed', attempts = attempts + 1, last_error = \(error), updated_at = now()
            WHERE id = \(id) AND status <> 'sent'
            RETURNING attempts
            """)
        if result.rowCount == 0 {
            let exists = try connection.query("SELECT 1 FROM notifications WHERE id = \(id)")
            guard exists.rowCount == 1 else { return false }
            throw RegistryError.conflict("notification \(id) was already sent")
        }
        var entry = audit
        entry.details = Array(#"{"attempts":"#.utf8) + Array((result.string(0, 0) ?? "0").utf8) + Array("}".utf8)
        try AuditLog.append(entry, on: connection)
        return true
    }
}
