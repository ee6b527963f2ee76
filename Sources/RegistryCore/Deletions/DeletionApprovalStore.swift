import Formats
import Postgres

/// Confirmations and approvals (domain.md DOM-121, DOM-122, DOM-131, DOM-132; api-v2.md API-116):
/// the permission facts (step 3 of DOM-96b) and the token step with its effects (step 5), one
/// transaction for the effects with their audit row and notifications.
public enum DeletionApprovalStore {
    public enum Outcome: Sendable, Equatable {
        case approved(DeletionRules.Step)
        /// [Compat] confirm paths (#9, #19): the request was already approved or completed.
        case alreadyConfirmed
    }

    /// Whether `caller` may take `step` (nil: the request waits for no approval) on `request`.
    public static func mayApprove(_ request: DeletionRequestRecord, step: DeletionRules.Step?, caller: Caller,
                                  database: Database) throws -> Bool {
        try database.read { try mayApprove(request, step: step, caller: caller, on: $0) }
    }

    /// The same facts read on `connection`: `approve` asks again inside its transaction, so an admin
    /// added or deactivated since the permission check (DOM-121's "sole admin" rule) decides.
    static func mayApprove(_ request: DeletionRequestRecord, step: DeletionRules.Step?, caller: Caller,
                           on connection: PGConnection) throws -> Bool {
        switch step {
        case .confirmSingle?:
            guard caller.isInstitutionalAdmin else { return false }
            let admins = try DeletionPeople.institutionalAdmins(of: request.institutionID, on: connection)
            return DeletionRules.mayConfirmSingle(caller, request: request,
                                                  requesterIsSoleInstitutionalAdmin: DeletionPeople.isSole(request.requestedByID, in: admins))
        case .approveForInstitution?:
            return DeletionRules.mayApproveForInstitution(caller, request: request)
        case .approveForAPTrust?:
            guard caller.isAdmin else { return false }
            let admins = try DeletionPeople.admins(on: connection)
            return DeletionRules.mayApproveForAPTrust(caller, request: request,
                                                      requesterIsSoleAdmin: DeletionPeople.isSole(request.requestedByID, in: admins))
        case nil:
            return DeletionRules.mayAskAboutFinishedWorkflow(caller, request: request)
        }
    }

    /// Takes `step` with `token` on the request. The status is re-read under the request's row lock:
    /// a request that no longer waits for `step`, an expired token or a token that does not match
    /// is a 409 and changes nothing. With `confirmedIsDone` an approved or completed request answers
    /// `.alreadyConfirmed` (API-116).
    public static func approve(_ requestID: Int64, step: DeletionRules.Step, token: String?, confirmedIsDone: Bool,
                               context: WorkflowContext, database: Database) throws -> Outcome {
        // Counted only after the commit: a rolled-back step stored no event.
        var eventsWritten = 0
        let outcome = try database.transaction { connection -> Outcome in
            let createsItems = step != .approveForInstitution
            if createsItems {
                try lockForFinishing(requestID: requestID, on: connection)
            }
            guard let request = try DeletionRequestRecord.load(id: requestID, lock: true, on: connection) else {
                throw RegistryError.notFound("deletion request not found: \(requestID)")
            }
            if confirmedIsDone && (request.status == "approved" || request.status == "completed") {
                try AuditLog.append(context.audit(
                    "deletion.confirm", resourceType: "deletion_request", resourceID: request.id, resourceIdentifier: nil,
                    institutionID: request.institutionID, status: 200,
                    details: Array(#"{"already_confirmed":true}"#.utf8)), on: connection)
                return .alreadyConfirmed
            }
            switch DeletionRules.tokenProblem(request, token: token, expected: step) {
            case .notWaiting?: throw RegistryError.conflict("deletion request \(request.id) is \(request.status)")
            case .expired?: throw RegistryError.conflict("the confirmation token of deletion request \(request.id) has expired")
            case .invalid?: throw RegistryError.conflict("the confirmation token of deletion request \(request.id) is not valid")
            case nil: break
            }
            guard try mayApprove(request, step: step, caller: context.caller, on: connection) else {
                throw RegistryError.forbidden
            }
            let itemCount: Int
            switch step {
            case .confirmSingle:
                (itemCount, eventsWritten) = try confirmSingle(request, context: context, on: connection)
            case .approveForInstitution:
                itemCount = 0
                try approveForInstitution(request, context: context, on: connection)
            case .approveForAPTrust:
                (itemCount, eventsWritten) = try approveForAPTrust(request, context: context, on: connection)
            }
            try AuditLog.append(context.audit(
                "deletion.confirm", resourceType: "deletion_request", resourceID: request.id, resourceIdentifier: nil,
                institutionID: request.institutionID, status: 204, details: details(step: step, itemCount: itemCount)),
                on: connection)
            return .approved(step)
        }
        context.deletionEventsCommitted(eventsWritten)
        return outcome
    }

    /// DOM-122: approved, token cleared, Delete items, `deletion_confirmation`, empty objects finished.
    /// Returns the Delete items created and the object `deletion` events written.
    private static func confirmSingle(_ request: DeletionRequestRecord, context: WorkflowContext,
                                      on connection: PGConnection) throws -> (items: Int, events: Int) {
        _ = try connection.query("""
            UPDATE deletion_requests SET status = 'approved', inst_approver_id = \(context.caller.userID),
                inst_approved_at = now(), token_hash = NULL, updated_at = now()
            WHERE id = \(request.id)
            """)
        let items = try ServerWorkItems.insertDeletes(requestID: request.id, requester: request.requesterEmail,
                                                      instApprover: context.caller.email, aptrustApprover: nil, on: connection)
        let admins = try DeletionPeople.institutionalAdmins(of: request.institutionID, on: connection)
        try DeletionNotifications(request: request, baseURL: context.baseURL, on: connection)
            .confirmation(confirmer: context.caller.email, itemCount: items.count,
                          recipients: DeletionPeople.union(admins.map(\.email), [request.requesterEmail]), on: connection)
        let events = try finishObjectsWithoutActiveFiles(request.id, context: context, on: connection)
        return (items.count, events)
    }

    /// DOM-131: institution_approved, a new token for the admins in `bulk_deletion_confirmation_partial`.
    private static func approveForInstitution(_ request: DeletionRequestRecord, context: WorkflowContext,
                                              on connection: PGConnection) throws {
        let token = DeletionToken.generate()
        let updated = try connection.query("""
            UPDATE deletion_requests SET status = 'institution_approved', inst_approver_id = \(context.caller.userID),
                inst_approved_at = now(), token_hash = \(token.hash),
                token_expires_at = now() + \(DeletionToken.lifetime)::interval, updated_at = now()
            WHERE id = \(request.id)
            RETURNING token_expires_at
            """)
        let expiresAt = try updated.timestamp(0, 0) ?? Timestamp.now()
        let admins = try DeletionPeople.admins(on: connection)
        try DeletionNotifications(request: request, baseURL: context.baseURL, on: connection)
            .bulkPartial(instApprover: context.caller.email, token: token, expiresAt: expiresAt,
                         recipients: DeletionPeople.recipients(admins, exceptRequester: request.requestedByID), on: connection)
    }

    /// DOM-132: approved with both approvers, Delete items, `bulk_deletion_confirmation_final`.
    /// Returns the Delete items created and the object `deletion` events written.
    private static func approveForAPTrust(_ request: DeletionRequestRecord, context: WorkflowContext,
                                          on connection: PGConnection) throws -> (items: Int, events: Int) {
        _ = try connection.query("""
            UPDATE deletion_requests SET status = 'approved', aptrust_approver_id = \(context.caller.userID),
                aptrust_approved_at = now(), token_hash = NULL, updated_at = now()
            WHERE id = \(request.id)
            """)
        let instApprover = request.instApproverEmail ?? ""
        let items = try ServerWorkItems.insertDeletes(requestID: request.id, requester: request.requesterEmail,
                                                      instApprover: request.instApproverEmail,
                                                      aptrustApprover: context.caller.email, on: connection)
        let instAdmins = try DeletionPeople.institutionalAdmins(of: request.institutionID, on: connection)
        let admins = try DeletionPeople.admins(on: connection)
        try DeletionNotifications(request: request, baseURL: context.baseURL, on: connection)
            .bulkFinal(instApprover: instApprover, aptrustApprover: context.caller.email, itemCount: items.count,
                       recipients: DeletionPeople.union(instAdmins.map(\.email), admins.map(\.email)), on: connection)
        let events = try finishObjectsWithoutActiveFiles(request.id, context: context, on: connection)
        return (items.count, events)
    }

    /// Lock order for a step that queues Delete items and may finish objects (DOM-122: an object
    /// without active files is finished at once, which appends its event): the chain head (only
    /// when objects are listed), then the objects in id order — as object finish_delete does —
    /// before the request row. The objects are those listed AND those of the listed files: restore
    /// and deletion requests check for pending work under the object's lock (DOM-102, DOM-111),
    /// so the Delete items must be queued under it too, or a file restore could pass the check
    /// while this step queues a Delete of the same file.
    private static func lockForFinishing(requestID: Int64, on connection: PGConnection) throws {
        let objects = try connection.query("""
            SELECT d.institution_id, EXISTS (SELECT 1 FROM deletion_request_objects x WHERE x.deletion_request_id = d.id)
            FROM deletion_requests d WHERE d.id = \(requestID)
            """)
        guard objects.rowCount == 1, let institutionID = try objects.int64(0, 0) else { return }
        if try objects.bool(0, 1) == true {
            try FileWriteLocks.chainHead(institutionID: institutionID, on: connection)
        }
        _ = try connection.query("""
            SELECT o.id FROM intellectual_objects o
            WHERE o.id IN (SELECT intellectual_object_id FROM deletion_request_objects WHERE deletion_request_id = \(requestID)
                           UNION
                           SELECT f.intellectual_object_id FROM deletion_request_files x
                           JOIN generic_files f ON f.id = x.generic_file_id WHERE x.deletion_request_id = \(requestID))
            ORDER BY o.id FOR NO KEY UPDATE
            """)
    }

    /// DOM-122 / DOM-125: listed objects that are active but have no active file are finished now,
    /// since no Delete item will ever lead a worker to finish them; the request may then complete.
    /// Returns the object `deletion` events written.
    private static func finishObjectsWithoutActiveFiles(_ requestID: Int64, context: WorkflowContext,
                                                        on connection: PGConnection) throws -> Int {
        let empty = try connection.query("""
            SELECT o.id FROM deletion_request_objects x JOIN intellectual_objects o ON o.id = x.intellectual_object_id
            WHERE x.deletion_request_id = \(requestID) AND o.state = 'A'
              AND NOT EXISTS (SELECT 1 FROM generic_files f WHERE f.intellectual_object_id = o.id AND f.state = 'A')
            ORDER BY o.id
            """)
        let objectIDs = try (0..<empty.rowCount).compactMap { try empty.int64($0, 0) }
        guard !objectIDs.isEmpty,
              let request = try DeletionRequestRecord.load(id: requestID, on: connection) else { return 0 }
        let events = try ObjectDeletion.finish(objectIDs: objectIDs, institutionID: request.institutionID,
                                               institutionIdentifier: request.institutionIdentifier,
                                               approvals: ObjectDeletion.Approvals(request), serverAgent: context.serverAgent,
                                               on: connection)
        try DeletionCompletion.completeFinished([requestID], context: context, on: connection)
        return events
    }

    private static func details(step: DeletionRules.Step, itemCount: Int) -> [UInt8] {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        let name = switch step {
        case .confirmSingle: "confirm"
        case .approveForInstitution: "institution_approval"
        case .approveForAPTrust: "aptrust_approval"
        }
        writer.field("step", name)
        writer.field("work_items", itemCount)
        writer.endObject()
        return writer.bytes
    }
}
