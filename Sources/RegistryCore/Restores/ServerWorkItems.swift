import Postgres

/// Work items the server creates itself: restore requests (DOM-110, DOM-111) and the `Delete`
/// items of a confirmed deletion (DOM-122). Both copy `name`, `etag`, `bag_date` and `bucket` from
/// the object's last ingested version (DOM-78) or, without one, from the object and its institution.
/// They are picked up by the workers' queue poller (`queued_at` NULL, `retry` true, DOM-113) and
/// store NULL, never `""`, in optional text (DOM-66a).
enum ServerWorkItems {
    /// The column list both inserts fill, in this order.
    private static let columns: PGQuery = """
        INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, date, note, outcome, action, stage,
                                status, retry, needs_admin_review, object_identifier, generic_file_identifier,
                                intellectual_object_id, generic_file_id, node, pid, queued_at, stage_started_at, size,
                                inst_approver, aptrust_approver, deletion_request_id)
        """

    /// The DOM-110 copy of the source fields, given `o` (object), `i` (institution) and `li` (its
    /// last ingested version, LEFT JOINed: all NULL when there is none).
    private static let sourceFields: PGQuery = """
        coalesce(li.name, o.bag_name || '.tar'), CASE WHEN li.name IS NULL THEN o.etag ELSE li.etag END,
        coalesce(li.bag_date, o.created_at), coalesce(li.bucket, i.receiving_bucket)
        """

    /// Runs one of the inserts. The copied fields can break the work item's limits (domain.md §4.8: `name`
    /// ≤ 1024 bytes, `bucket` ≤ 255) where the object's own limits are wider: a bag name is stored as
    /// sent up to the free-text limit of 65,535 bytes (DOM-12, DOM-6), and `aptrust.receiving.` plus a 253-byte institution
    /// identifier (DOM-10) is longer than 255. Such an item cannot be queued: that is the record's
    /// state (409, naming the limit), not an unexpected error (500). The caller's transaction rolls
    /// back.
    private static func insert(_ query: PGQuery, action: String, on connection: PGConnection) throws -> PGResult {
        do {
            return try connection.query(query)
        } catch {
            guard error.kind == .checkViolation,
                  let field = ["work_items_name_length": "name", "work_items_bucket_length": "bucket"][error.constraint ?? ""]
            else { throw error }
            let limit = field == "name" ? "1 to 1024 bytes" : "1 to 255 bytes"
            throw RegistryError.conflict("cannot queue the \(action) work item: its \(field) copied from the object "
                                         + "would not be \(limit) long")
        }
    }

    /// DOM-110 / DOM-111: one `Restore` or `Glacier Restore` item for the object, or for one of its
    /// files when `file` is given. Returns the item's id.
    static func insertRestore(objectID: Int64, file: FileRef?, action: String, size: Int64, requester: String,
                              on connection: PGConnection) throws -> Int64 {
        var query: PGQuery = """
            WITH li AS (
                SELECT w.name, w.etag, w.bag_date, w.bucket FROM work_items w
                WHERE w.object_identifier = (SELECT identifier FROM intellectual_objects WHERE id = \(objectID))
                  AND w.action = 'Ingest' AND w.status = 'Success' AND w.stage IN ('Record', 'Cleanup')
                ORDER BY w.date DESC, w.id DESC LIMIT 1)
            """
        query.append(columns)
        query.append(" SELECT ")
        query.append(sourceFields)
        query.append("""
            , \(requester)::text, o.institution_id, now(), 'Restore requested', 'Not started', \(action)::text,
                'Requested', 'Pending', true, false, o.identifier, \(file?.identifier)::text, o.id, \(file?.id)::int8,
                NULL, 0, NULL, NULL, \(size)::int8, NULL, NULL, NULL
            FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id LEFT JOIN li ON true
            WHERE o.id = \(objectID)
            RETURNING id
            """)
        let result = try insert(query, action: action, on: connection)
        guard result.rowCount == 1, let id = try result.int64(0, 0) else {
            throw PGError(kind: .other, message: "restore item for object \(objectID) was not inserted")
        }
        return id
    }

    /// DOM-122: one `Delete` item per covered active file of the request — its listed files plus
    /// every active file of its listed objects — in file identifier order, in one statement however
    /// many files there are. Returns the new item ids.
    static func insertDeletes(requestID: Int64, requester: String, instApprover: String?, aptrustApprover: String?,
                              on connection: PGConnection) throws -> [Int64] {
        var query: PGQuery = """
            WITH covered AS (
                SELECT generic_file_id AS id FROM deletion_request_files WHERE deletion_request_id = \(requestID)
                UNION
                SELECT f.id FROM deletion_request_objects x JOIN generic_files f ON f.intellectual_object_id = x.intellectual_object_id
                WHERE x.deletion_request_id = \(requestID)),
            files AS (
                SELECT f.id, f.identifier, f.size, f.intellectual_object_id FROM covered c JOIN generic_files f ON f.id = c.id
                WHERE f.state = 'A'),
            -- DOM-78 per object, one pass over the objects' Ingest items (not one lookup per file).
            last_ingest AS (
                SELECT DISTINCT ON (o.id) o.id AS object_id, w.name, w.etag, w.bag_date, w.bucket
                FROM intellectual_objects o JOIN work_items w ON w.object_identifier = o.identifier
                WHERE o.id IN (SELECT intellectual_object_id FROM files)
                  AND w.action = 'Ingest' AND w.status = 'Success' AND w.stage IN ('Record', 'Cleanup')
                ORDER BY o.id, w.date DESC, w.id DESC)
            """
        query.append(columns)
        query.append(" SELECT ")
        query.append(sourceFields)
        query.append("""
            , \(requester)::text, o.institution_id, now(), 'Delete requested', 'Not started', 'Delete', 'Requested',
                'Pending', true, false, o.identifier, f.identifier, o.id, f.id, NULL, 0, NULL, NULL, f.size,
                \(instApprover)::text, \(aptrustApprover)::text, \(requestID)::int8
            FROM files f JOIN intellectual_objects o ON o.id = f.intellectual_object_id
            JOIN institutions i ON i.id = o.institution_id
            LEFT JOIN last_ingest li ON li.object_id = o.id
            ORDER BY f.identifier
            RETURNING id
            """)
        let result = try insert(query, action: "Delete", on: connection)
        return try (0..<result.rowCount).compactMap { try result.int64($0, 0) }
    }
}
