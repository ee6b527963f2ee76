import Formats
import Postgres

/// What every trigger needs besides its parameters.
public struct TriggerContext: Sendable {
    /// Base of the links in bodies: PUBLIC_BASE_URL, else scheme + `://` + Host of the request that
    /// runs the trigger (DOM-141b).
    public var baseURL: String
    /// OPS_EMAIL: the extra recipient of `multiple_fixity` (DOM-141a); nil when unset.
    public var opsEmail: String?

    public init(baseURL: String, opsEmail: String?) {
        self.baseURL = baseURL
        self.opsEmail = opsEmail
    }
}

/// One event or work item a trigger notification lists (one item line, DOM-141b).
struct TriggerItem {
    /// The event's or work item's id (what `notification_events` / `notification_work_items` link).
    let id: Int64
    let institutionID: Int64
    let institution: String
    /// `<identifier>` of the item line.
    let identifier: String
    /// Path of the linked page, e.g. `/events/<uuid>` or `/items/<id>`.
    let path: String
    let pathIdentifier: String
    /// The `deletions.csv` row, for `deletion_notifications` only.
    var csvRow: [String?] = []
}

/// The items of one institution: one notification (DOM-141a: it never names another's records).
struct TriggerGroup {
    let institutionID: Int64
    let institution: String
    var items: [TriggerItem]
}

/// Grouping, recipients, insert and links shared by the triggers (domain.md §8.9).
enum TriggerBatch {
    /// Serializes the runs of one trigger type until the transaction ends, so that two concurrent
    /// calls cannot both pick the same not-yet-linked events or items (DOM-140): the second waits,
    /// and its candidate query — a new statement — then sees the first one's links.
    static func lock(_ type: String, on connection: PGConnection) throws {
        let key = lockKeys[type] ?? lockKeyBase
        _ = try connection.query("SELECT pg_advisory_xact_lock(\(key))")
    }

    private static let lockKeyBase: Int64 = 0x6e6f_7469_6679_0000  // "notify"
    private static let lockKeys: [String: Int64] = [
        "multiple_fixity": lockKeyBase + 1,
        "multiple_restoration": lockKeyBase + 2,
        "deletion_notifications": lockKeyBase + 3,
    ]

    /// Consecutive items of one institution; the candidate queries sort by institution, then id.
    static func groups(_ items: [TriggerItem]) -> [TriggerGroup] {
        var groups: [TriggerGroup] = []
        for item in items {
            if let last = groups.last, last.institutionID == item.institutionID {
                groups[groups.count - 1].items.append(item)
            } else {
                groups.append(TriggerGroup(institutionID: item.institutionID, institution: item.institution, items: [item]))
            }
        }
        return groups
    }

    /// The active inst admins of each institution, in byte order, with one query (DOM-141a).
    static func institutionalAdmins(of institutionIDs: [Int64], on connection: PGConnection) throws -> [Int64: [String]] {
        let result = try connection.query("""
            SELECT institution_id, email FROM users
            WHERE institution_id = ANY(\(institutionIDs)) AND role = 'institutional_admin' AND deactivated_at IS NULL
            ORDER BY institution_id, email
            """)
        var admins: [Int64: [String]] = [:]
        for row in 0..<result.rowCount {
            guard let id = try result.int64(row, 0), let email = result.string(row, 1) else { continue }
            admins[id, default: []].append(email)
        }
        return admins
    }

    /// Inserts one notification for `group` and links its events or work items; returns its id.
    static func insert(_ notification: NewNotification, _ group: TriggerGroup, linksEvents: Bool,
                       on connection: PGConnection) throws -> Int64 {
        let id = try NotificationOutbox.insert(notification, on: connection)
        let ids = group.items.map(\.id)
        if linksEvents {
            try NotificationOutbox.link(notificationID: id, events: ids, on: connection)
        } else {
            try NotificationOutbox.link(notificationID: id, workItems: ids, on: connection)
        }
        return id
    }

    /// The body of DOM-141b: header lines, an empty line, one `<identifier> <URL>` line per item.
    static func body(header: [String], _ group: TriggerGroup, base: String) -> String {
        NotificationOutbox.body(header: header, items: group.items.map { item in
            (item.identifier, NotificationOutbox.link(base: base, path: item.path, identifier: item.pathIdentifier))
        })
    }

    /// `{"trigger": …, "notifications": n, "notification_ids": […]}` for the audit row.
    static func auditDetails(trigger: String, notificationIDs: [Int64]) -> [UInt8] {
        var writer = JSONWriter(capacity: 96 + notificationIDs.count * 12)
        writer.beginObject()
        writer.field("trigger", trigger)
        writer.field("notifications", notificationIDs.count)
        writer.key("notification_ids")
        writer.beginArray()
        for id in notificationIDs { writer.int(id) }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
