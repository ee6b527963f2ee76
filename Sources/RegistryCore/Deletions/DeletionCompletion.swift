import Postgres

/// DOM-126: a request becomes `completed` — with `completed_at` and a `deletion_finished`
/// notification — in the transaction where the last record it covers becomes `D`. Called after a
/// file or object was set to `D` in the caller's transaction.
enum DeletionCompletion {
    /// Approved requests listing the file or its object (the candidates after a file finish).
    static func candidates(fileID: Int64, objectID: Int64, on connection: PGConnection) throws -> [Int64] {
        try ids(connection.query("""
            SELECT d.id FROM deletion_requests d
            WHERE d.status = 'approved'
              AND (d.id IN (SELECT deletion_request_id FROM deletion_request_files WHERE generic_file_id = \(fileID))
                   OR d.id IN (SELECT deletion_request_id FROM deletion_request_objects WHERE intellectual_object_id = \(objectID)))
            """))
    }

    /// Approved requests listing any of the objects (the candidates after objects were finished).
    static func candidates(objectIDs: [Int64], on connection: PGConnection) throws -> [Int64] {
        guard !objectIDs.isEmpty else { return [] }
        return try ids(connection.query("""
            SELECT DISTINCT d.id FROM deletion_requests d
            JOIN deletion_request_objects x ON x.deletion_request_id = d.id
            WHERE d.status = 'approved' AND x.intellectual_object_id = ANY(\(objectIDs)::int8[])
            """))
    }

    /// Completes every request of `requestIDs` that is still `approved` and now covers no active
    /// record; returns the ids completed.
    ///
    /// The request rows are locked first (in id order) and only then checked: two finishes of a
    /// request's last two files, each in its own transaction, would otherwise both see the other's
    /// file still active and neither would complete the request. After the lock (READ COMMITTED)
    /// the check sees what the previous holder committed.
    @discardableResult
    static func completeFinished(_ requestIDs: [Int64], context: WorkflowContext, on connection: PGConnection) throws -> [Int64] {
        guard !requestIDs.isEmpty else { return [] }
        let locked = try ids(connection.query("""
            SELECT id FROM deletion_requests WHERE id = ANY(\(requestIDs)::int8[]) AND status = 'approved'
            ORDER BY id FOR NO KEY UPDATE
            """))
        var completed: [Int64] = []
        for requestID in locked {
            // Objects first: a bulk request covering many objects usually still has an active one,
            // which answers without visiting its (many more) files.
            let done = try connection.query("""
                SELECT NOT EXISTS (SELECT 1 FROM deletion_request_objects x JOIN intellectual_objects o ON o.id = x.intellectual_object_id
                                   WHERE x.deletion_request_id = \(requestID) AND o.state = 'A')
                   AND NOT EXISTS (SELECT 1 FROM deletion_request_files y JOIN generic_files f ON f.id = y.generic_file_id
                                   WHERE y.deletion_request_id = \(requestID) AND f.state = 'A')
                """)
            guard try done.bool(0, 0) == true else { continue }
            _ = try connection.query("""
                UPDATE deletion_requests SET status = 'completed', completed_at = now(), updated_at = now()
                WHERE id = \(requestID)
                """)
            guard let request = try DeletionRequestRecord.load(id: requestID, on: connection) else { continue }
            let admins = try DeletionPeople.institutionalAdmins(of: request.institutionID, on: connection)
            try DeletionNotifications(request: request, baseURL: context.baseURL, on: connection)
                .finished(recipients: DeletionPeople.union(admins.map(\.email), [request.requesterEmail]), on: connection)
            completed.append(requestID)
        }
        return completed
    }

    private static func ids(_ result: PGResult) throws -> [Int64] {
        try (0..<result.rowCount).compactMap { try result.int64($0, 0) }
    }
}
