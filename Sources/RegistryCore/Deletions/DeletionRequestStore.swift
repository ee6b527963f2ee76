import Postgres

/// What a single deletion request names (domain.md DOM-120).
public enum DeletionTarget: Sendable {
    case object(ObjectRef)
    case file(FileRef)

    var object: ObjectRef {
        switch self {
        case .object(let object): object
        case .file(let file): file.object
        }
    }
}

/// Creates single deletion requests (domain.md DOM-120, DOM-120a; api-v2.md API-115): the checks,
/// the request with its covered records and token, the `deletion_request` notification carrying the
/// only copy of the token, and the `deletion.request` audit row — one transaction.
public enum DeletionRequestStore {
    /// Returns the new request's id. Throws `.conflict` when the target is already deleted, has
    /// pending work, is covered by an open request, or its institution has no active inst admin.
    /// The caller's permission (DOM-120: admin or own inst admin) is checked by the caller first.
    public static func request(_ target: DeletionTarget, context: WorkflowContext, database: Database) throws -> Int64 {
        try database.transaction { connection in
            try request(target, context: context, on: connection)
        }
    }

    private static func request(_ target: DeletionTarget, context: WorkflowContext, on connection: PGConnection) throws -> Int64 {
        let object = target.object
        // The object row lock serializes every request, restore and finish touching this object, so
        // two requests for it (or for it and one of its files) cannot both pass the checks below.
        let locked = try FileWriteLocks.object(id: object.id, on: connection)
        let kind: String
        let identifier: String
        var fileIDs: [Int64] = []
        switch target {
        case .object(let object):
            kind = "object"
            identifier = object.identifier
            guard locked.state == "A" else { throw RegistryError.conflict("object is already deleted: \(identifier)") }
            if let action = try PendingWork.forObject(object, on: connection) {
                throw RegistryError.conflict("object has pending work (\(action)): \(identifier)")
            }
        case .file(let file):
            kind = "file"
            identifier = file.identifier
            fileIDs = [file.id]
            let state = try connection.query("SELECT state FROM generic_files WHERE id = \(file.id)").string(0, 0)
            guard state == "A" else { throw RegistryError.conflict("file is already deleted: \(identifier)") }
            if let action = try PendingWork.forFile(file, on: connection) {
                throw RegistryError.conflict("file has pending work (\(action)): \(identifier)")
            }
        }
        let coverage = try OpenDeletionRequests.covering(objectIDs: [object.id], fileIDs: fileIDs, on: connection)
        let blocking = fileIDs.isEmpty ? coverage.blocking(objectID: object.id)
                                       : coverage.blocking(fileID: fileIDs[0], objectID: object.id)
        if let blocking {
            throw RegistryError.conflict("deletion request \(blocking) is already open for \(identifier)")
        }
        let admins = try DeletionPeople.institutionalAdmins(of: object.institutionID, on: connection)
        guard !admins.isEmpty else {
            throw RegistryError.conflict("\(object.institutionIdentifier) has no active institutional admin to confirm a deletion")
        }

        let token = DeletionToken.generate()
        let inserted = try DeletionRequestRows.insert(
            kind: kind, institutionID: object.institutionID, requesterID: context.caller.userID, token: token,
            objectIDs: kind == "object" ? [object.id] : [], fileIDs: fileIDs, on: connection)
        guard let record = try DeletionRequestRecord.load(id: inserted.id, on: connection) else {
            throw PGError(kind: .other, message: "deletion request \(inserted.id) vanished")
        }
        let notes = try DeletionNotifications(request: record, baseURL: context.baseURL, on: connection)
        try notes.request(requester: context.caller.email, kind: kind, token: token, expiresAt: inserted.tokenExpiresAt,
                          recipients: DeletionPeople.recipients(admins, exceptRequester: context.caller.userID),
                          on: connection)
        try AuditLog.append(context.audit(
            "deletion.request", resourceType: "deletion_request", resourceID: inserted.id, resourceIdentifier: identifier,
            institutionID: object.institutionID, status: 204,
            details: DeletionRequestRows.auditDetails(kind: kind, inserted)), on: connection)
        return inserted.id
    }
}
