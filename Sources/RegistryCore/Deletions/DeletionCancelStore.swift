import Postgres

/// DOM-127: cancelling a deletion request that still waits for an approval (`requested` or
/// `institution_approved`, also when its token has expired): status `cancelled`, token cleared,
/// `deletion.cancel` audit row — one transaction. Any other status is a 409 and changes nothing.
/// The caller's permission (admin or own inst admin) is checked by the caller first.
public enum DeletionCancelStore {
    public static func cancel(_ requestID: Int64, context: WorkflowContext, database: Database) throws {
        try database.transaction { connection in
            guard let request = try DeletionRequestRecord.load(id: requestID, lock: true, on: connection) else {
                throw RegistryError.notFound("deletion request not found: \(requestID)")
            }
            guard request.isAwaitingApproval else {
                throw RegistryError.conflict("deletion request \(request.id) is \(request.status) and cannot be cancelled")
            }
            _ = try connection.query("""
                UPDATE deletion_requests SET status = 'cancelled', cancelled_by_id = \(context.caller.userID),
                    cancelled_at = now(), token_hash = NULL, updated_at = now()
                WHERE id = \(request.id)
                """)
            try AuditLog.append(context.audit(
                "deletion.cancel", resourceType: "deletion_request", resourceID: request.id, resourceIdentifier: nil,
                institutionID: request.institutionID, status: 200,
                details: AuditDetails.changes([("status", request.status, "cancelled")])), on: connection)
        }
    }
}
