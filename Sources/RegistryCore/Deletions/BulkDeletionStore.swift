import Postgres

/// DOM-130: an admin asks to delete many objects and files of one institution at once. Every entry
/// must resolve (else 422 listing the unresolved ones) and be deletable — active, no pending work
/// (DOM-102 / DOM-111), not covered by an open request (as DOM-120) — else 409 listing the refused
/// ones; in either case nothing is created. Otherwise one `bulk` request with its covered records,
/// a token and the `bulk_deletion_request` notification (with a CSV of the identifiers), and the
/// `deletion.request` audit row — one transaction.
public enum BulkDeletionStore {
    private struct Resolved {
        var objects: [ObjectRow] = []
        var files: [FileRow] = []
    }

    private struct ObjectRow {
        let id: Int64
        let identifier: String
        let bagName: String
    }

    private struct FileRow {
        let id: Int64
        let identifier: String
        let objectID: Int64
        let objectIdentifier: String
        let objectBagName: String
    }

    /// Returns the new request's id. The caller (an admin, DOM-130) is checked by the caller first.
    public static func trigger(institution: InstitutionRef, identifiers: [String], context: WorkflowContext,
                               database: Database) throws -> Int64 {
        let entries = uniqueByBytes(identifiers)
        return try database.transaction { connection in
            let resolved = try resolve(entries, institutionID: institution.id, on: connection)
            let objectIDs = resolved.objects.map(\.id)
            let fileIDs = resolved.files.map(\.id)
            // The row locks of every object involved, in id order (as every multi-object lock here),
            // so a concurrent request or restore for one of them waits or is refused.
            let lockedIDs = Array(Set(objectIDs + resolved.files.map(\.objectID))).sorted()
            _ = try connection.query("SELECT id FROM intellectual_objects WHERE id = ANY(\(lockedIDs)::int8[]) ORDER BY id FOR NO KEY UPDATE")
            let refusals = try refusals(resolved, institutionID: institution.id, on: connection)
            guard refusals.isEmpty else {
                throw RegistryError.conflict("cannot delete: " + refusals.joined(separator: "; "))
            }
            let admins = try DeletionPeople.institutionalAdmins(of: institution.id, on: connection)
            guard !admins.isEmpty else {
                throw RegistryError.conflict("\(institution.identifier) has no active institutional admin to approve a deletion")
            }
            let token = DeletionToken.generate()
            let inserted = try DeletionRequestRows.insert(
                kind: "bulk", institutionID: institution.id, requesterID: context.caller.userID, token: token,
                objectIDs: objectIDs, fileIDs: fileIDs, on: connection)
            guard let record = try DeletionRequestRecord.load(id: inserted.id, on: connection) else {
                throw PGError(kind: .other, message: "deletion request \(inserted.id) vanished")
            }
            try DeletionNotifications(request: record, baseURL: context.baseURL, on: connection)
                .bulkRequest(requester: context.caller.email, token: token, expiresAt: inserted.tokenExpiresAt,
                             recipients: admins.map(\.email), on: connection)
            try AuditLog.append(context.audit(
                "deletion.request", resourceType: "deletion_request", resourceID: inserted.id,
                resourceIdentifier: institution.identifier, institutionID: institution.id, status: 204,
                details: DeletionRequestRows.auditDetails(kind: "bulk", inserted)), on: connection)
            return inserted.id
        }
    }

    /// Each entry as an object identifier of the institution, else as a file identifier of it; the
    /// unresolved ones are a 422 on `ident_list`, one message per entry.
    private static func resolve(_ entries: [String], institutionID: Int64, on connection: PGConnection) throws -> Resolved {
        var resolved = Resolved()
        let objects = try connection.query("""
            SELECT id, identifier, bag_name FROM intellectual_objects
            WHERE institution_id = \(institutionID) AND identifier = ANY(\(entries)::text[])
            """)
        var found = Set<[UInt8]>()
        for row in 0..<objects.rowCount {
            guard let id = try objects.int64(row, 0), let identifier = objects.string(row, 1) else { continue }
            resolved.objects.append(ObjectRow(id: id, identifier: identifier, bagName: objects.string(row, 2) ?? ""))
            found.insert(Array(identifier.utf8))
        }
        let rest = entries.filter { !found.contains(Array($0.utf8)) }
        if !rest.isEmpty {
            let files = try connection.query("""
                SELECT f.id, f.identifier, o.id, o.identifier, o.bag_name
                FROM generic_files f JOIN intellectual_objects o ON o.id = f.intellectual_object_id
                WHERE f.institution_id = \(institutionID) AND f.identifier = ANY(\(rest)::text[])
                """)
            for row in 0..<files.rowCount {
                guard let id = try files.int64(row, 0), let identifier = files.string(row, 1),
                      let objectID = try files.int64(row, 2) else { continue }
                resolved.files.append(FileRow(id: id, identifier: identifier, objectID: objectID,
                                              objectIdentifier: files.string(row, 3) ?? "",
                                              objectBagName: files.string(row, 4) ?? ""))
                found.insert(Array(identifier.utf8))
            }
        }
        var errors = FieldErrors()
        for entry in entries where !found.contains(Array(entry.utf8)) {
            errors.add("ident_list", "not an object or file of this institution: \(entry)")
        }
        try errors.throwIfAny()
        return resolved
    }

    /// Why each refused entry cannot be deleted, in entry kind order (objects, then files).
    private static func refusals(_ resolved: Resolved, institutionID: Int64, on connection: PGConnection) throws -> [String] {
        let objectIDs = resolved.objects.map(\.id)
        let fileIDs = resolved.files.map(\.id)
        let states = try connection.query("""
            SELECT id, state, true FROM intellectual_objects WHERE id = ANY(\(objectIDs)::int8[])
            UNION ALL
            SELECT id, state, false FROM generic_files WHERE id = ANY(\(fileIDs)::int8[])
            """)
        var deletedObjects = Set<Int64>()
        var deletedFiles = Set<Int64>()
        for row in 0..<states.rowCount where states.string(row, 1) == "D" {
            guard let id = try states.int64(row, 0) else { continue }
            if try states.bool(row, 2) == true { deletedObjects.insert(id) } else { deletedFiles.insert(id) }
        }
        let objectPending = try PendingWork.forObjects(
            resolved.objects.map { .init(identifier: $0.identifier, bagName: $0.bagName, institutionID: institutionID) },
            actions: PendingWork.allActions, on: connection)
        let fileObjectPending = try PendingWork.forObjects(
            resolved.files.map { .init(identifier: $0.objectIdentifier, bagName: $0.objectBagName, institutionID: institutionID) },
            actions: PendingWork.fileLevelObjectActions, on: connection)
        let fileDeletes = try PendingWork.deletesForFiles(resolved.files.map(\.identifier), on: connection)
        let coverage = try OpenDeletionRequests.covering(objectIDs: objectIDs + resolved.files.map(\.objectID),
                                                         fileIDs: fileIDs, on: connection)
        var reasons: [String] = []
        for (position, object) in resolved.objects.enumerated() {
            if deletedObjects.contains(object.id) {
                reasons.append("\(object.identifier) is already deleted")
            } else if let action = objectPending[position] {
                reasons.append("\(object.identifier) has pending work (\(action))")
            } else if let open = coverage.blocking(objectID: object.id) {
                reasons.append("\(object.identifier) is covered by open deletion request \(open)")
            }
        }
        for (position, file) in resolved.files.enumerated() {
            if deletedFiles.contains(file.id) {
                reasons.append("\(file.identifier) is already deleted")
            } else if let action = fileObjectPending[position] ?? (fileDeletes.contains(position) ? "Delete" : nil) {
                reasons.append("\(file.identifier) has pending work (\(action))")
            } else if let open = coverage.blocking(fileID: file.id, objectID: file.objectID) {
                reasons.append("\(file.identifier) is covered by open deletion request \(open)")
            }
        }
        return reasons
    }

    /// The entries without repeats, compared as UTF-8 bytes (DOM-5), first occurrence kept.
    static func uniqueByBytes(_ identifiers: [String]) -> [String] {
        var seen = Set<[UInt8]>()
        return identifiers.filter { seen.insert(Array($0.utf8)).inserted }
    }
}
