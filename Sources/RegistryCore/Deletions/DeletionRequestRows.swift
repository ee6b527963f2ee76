import Formats
import Postgres

/// Inserting a deletion request with its covered records (domain.md §4.10, DOM-120a): the join
/// tables hold the listed objects, and the listed files plus every file that is active in a listed
/// object at this moment. They are written once, here, and never change.
enum DeletionRequestRows {
    struct Inserted {
        let id: Int64
        let tokenExpiresAt: Timestamp
        let objectCount: Int
        let fileCount: Int
    }

    static func insert(kind: String, institutionID: Int64, requesterID: Int64, token: DeletionToken,
                       objectIDs: [Int64], fileIDs: [Int64], on connection: PGConnection) throws -> Inserted {
        let request = try connection.query("""
            INSERT INTO deletion_requests (institution_id, kind, status, requested_by_id, requested_at, token_hash,
                                           token_expires_at, created_at, updated_at)
            VALUES (\(institutionID), \(kind), 'requested', \(requesterID), now(), \(token.hash),
                    now() + \(DeletionToken.lifetime)::interval, now(), now())
            RETURNING id, token_expires_at
            """)
        guard let id = try request.int64(0, 0), let expiresAt = try request.timestamp(0, 1) else {
            throw PGError(kind: .other, message: "deletion request insert returned no id")
        }
        let objects = try connection.query("""
            INSERT INTO deletion_request_objects (deletion_request_id, intellectual_object_id)
            SELECT \(id)::int8, unnest(\(objectIDs)::int8[])
            """)
        // UNION: a listed file of a listed object is covered once (DOM-120a "distinct files").
        let files = try connection.query("""
            INSERT INTO deletion_request_files (deletion_request_id, generic_file_id)
            SELECT \(id)::int8, f.id FROM generic_files f
            WHERE f.intellectual_object_id = ANY(\(objectIDs)::int8[]) AND f.state = 'A'
            UNION
            SELECT \(id)::int8, unnest(\(fileIDs)::int8[])
            """)
        return Inserted(id: id, tokenExpiresAt: expiresAt, objectCount: objects.affectedRows, fileCount: files.affectedRows)
    }

    /// `{"kind": …, "object_count": n, "file_count": n}` for the `deletion.request` audit row.
    static func auditDetails(kind: String, _ inserted: Inserted) -> [UInt8] {
        var writer = JSONWriter(capacity: 96)
        writer.beginObject()
        writer.field("kind", kind)
        writer.field("object_count", inserted.objectCount)
        writer.field("file_count", inserted.fileCount)
        writer.endObject()
        return writer.bytes
    }
}
