import Postgres

/// "An open request already covers the target" (domain.md DOM-120, DOM-130): a request that is
/// `approved`, or `requested`/`institution_approved` with an unexpired token, and lists the object,
/// the file, the file's object (for a file) or one of the object's files (for an object).
enum OpenDeletionRequests {
    /// Which open request covers what, among the objects and files asked about.
    struct Coverage {
        /// Object id → an open request listing it.
        var objects: [Int64: Int64] = [:]
        /// File id → an open request listing it.
        var files: [Int64: Int64] = [:]
        /// Object id → an open request listing one of its files.
        var filesOfObjects: [Int64: Int64] = [:]

        /// The open request blocking a new request for the object, if any.
        func blocking(objectID: Int64) -> Int64? {
            objects[objectID] ?? filesOfObjects[objectID]
        }

        /// The open request blocking a new request for the file, if any.
        func blocking(fileID: Int64, objectID: Int64) -> Int64? {
            files[fileID] ?? objects[objectID]
        }
    }

    /// Open requests are few at any time; both branches start from the covered ids through the
    /// join tables' (record, request) indexes. Expiry is judged at the statement's clock (under the
    /// object locks), as `DeletionRequestRecord.isExpired` is.
    static func covering(objectIDs: [Int64], fileIDs: [Int64], on connection: PGConnection) throws -> Coverage {
        let result = try connection.query("""
            SELECT true, x.intellectual_object_id, x.intellectual_object_id, d.id
            FROM deletion_request_objects x JOIN deletion_requests d ON d.id = x.deletion_request_id
            WHERE x.intellectual_object_id = ANY(\(objectIDs)::int8[])
              AND (d.status = 'approved' OR (d.status IN ('requested', 'institution_approved') AND d.token_expires_at > clock_timestamp()))
            UNION ALL
            SELECT false, f.id, f.intellectual_object_id, d.id
            FROM generic_files f
            JOIN deletion_request_files y ON y.generic_file_id = f.id
            JOIN deletion_requests d ON d.id = y.deletion_request_id
            WHERE (f.id = ANY(\(fileIDs)::int8[]) OR f.intellectual_object_id = ANY(\(objectIDs)::int8[]))
              AND (d.status = 'approved' OR (d.status IN ('requested', 'institution_approved') AND d.token_expires_at > clock_timestamp()))
            """)
        var coverage = Coverage()
        for row in 0..<result.rowCount {
            guard let recordID = try result.int64(row, 1), let objectID = try result.int64(row, 2),
                  let requestID = try result.int64(row, 3) else { continue }
            if try result.bool(row, 0) == true {
                coverage.objects[recordID] = requestID
            } else {
                coverage.files[recordID] = requestID
                coverage.filesOfObjects[objectID] = requestID
            }
        }
        return coverage
    }
}
