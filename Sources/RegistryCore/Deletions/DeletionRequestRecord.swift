import Postgres

/// The columns of a deletion request (domain.md §4.10) that the workflow rules need, with the
/// people as e-mails and the derived `expired` flag (§8.6) computed by the database clock.
public struct DeletionRequestRecord: Sendable, Equatable {
    public let id: Int64
    public let institutionID: Int64
    public let institutionIdentifier: String
    public let kind: String
    /// The stored status (never `expired`; see `isExpired`).
    public let status: String
    public let requestedByID: Int64
    public let requesterEmail: String
    public let tokenHash: String?
    /// `token_expires_at <= clock_timestamp()` while a token is set: the time the statement
    /// reads the row (after the locks the caller took), not the transaction's start, so an approval
    /// that waited for its locks past the expiry sees the request expired, as a new request that
    /// replaced it meanwhile did (`OpenDeletionRequests`, DOM-120).
    public let isExpired: Bool
    public let instApproverID: Int64?
    public let instApproverEmail: String?
    public let aptrustApproverEmail: String?

    /// `requested` or `institution_approved`: the states a confirmation or a cancel can leave.
    public var isAwaitingApproval: Bool { status == "requested" || status == "institution_approved" }

    private static let columns: PGQuery = """
        SELECT d.id, d.institution_id, i.identifier, d.kind, d.status, d.requested_by_id, ru.email, d.token_hash,
               coalesce(d.token_expires_at <= clock_timestamp(), false), d.inst_approver_id, iu.email, au.email
        FROM deletion_requests d
        JOIN institutions i ON i.id = d.institution_id
        JOIN users ru ON ru.id = d.requested_by_id
        LEFT JOIN users iu ON iu.id = d.inst_approver_id
        LEFT JOIN users au ON au.id = d.aptrust_approver_id
        """

    /// The request with this id, or nil. `lock` takes the row lock (`FOR NO KEY UPDATE OF d`) that every
    /// status change holds, so concurrent confirmations, cancels and completions are serialized.
    public static func load(id: Int64, lock: Bool = false, on connection: PGConnection) throws -> DeletionRequestRecord? {
        var query = columns
        query.append(" WHERE d.id = \(id)")
        if lock { query.append(" FOR NO KEY UPDATE OF d") }
        let result = try connection.query(query)
        guard result.rowCount == 1 else { return nil }
        return try DeletionRequestRecord(result, row: 0)
    }

    /// The request of `kind` covering the object or file that a [Compat] confirm path names
    /// (api-v2.md API-116): the newest one. An open request blocks any new one (DOM-120), so the
    /// newest is the open one when there is one; an older finished request of a record revived
    /// since must not answer "already confirmed" for a newer expired or cancelled one.
    public static func covering(objectID: Int64?, fileID: Int64?, kind: String,
                                on connection: PGConnection) throws -> DeletionRequestRecord? {
        var query = columns
        if let objectID {
            query.append("""
                 WHERE d.kind = \(kind) AND d.id IN (
                    SELECT deletion_request_id FROM deletion_request_objects WHERE intellectual_object_id = \(objectID))
                """)
        } else {
            query.append("""
                 WHERE d.kind = \(kind) AND d.id IN (
                    SELECT deletion_request_id FROM deletion_request_files WHERE generic_file_id = \(fileID))
                """)
        }
        query.append("""
             ORDER BY d.id DESC
             LIMIT 1
            """)
        let result = try connection.query(query)
        guard result.rowCount == 1 else { return nil }
        return try DeletionRequestRecord(result, row: 0)
    }
}

extension DeletionRequestRecord {
    fileprivate init(_ result: PGResult, row: Int) throws {
        guard let id = try result.int64(row, 0), let institutionID = try result.int64(row, 1),
              let requestedByID = try result.int64(row, 5)
        else { throw PGError(kind: .other, message: "deletion request row without id, institution or requester") }
        self.id = id
        self.institutionID = institutionID
        institutionIdentifier = result.string(row, 2) ?? ""
        kind = result.string(row, 3) ?? ""
        status = result.string(row, 4) ?? ""
        self.requestedByID = requestedByID
        requesterEmail = result.string(row, 6) ?? ""
        tokenHash = result.string(row, 7)
        isExpired = try result.bool(row, 8) ?? false
        instApproverID = try result.int64(row, 9)
        instApproverEmail = result.string(row, 10)
        aptrustApproverEmail = result.string(row, 11)
    }
}
