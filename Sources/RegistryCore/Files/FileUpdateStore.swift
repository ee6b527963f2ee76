import Formats
import Postgres

/// `PUT`/`PATCH /files/{file}` (api-v2.md API-99): changes the permitted fields, revives a deleted
/// file ([Compat] re-ingest), appends nested children (never removes any, API-64), and keeps the
/// derived data right: DOM-63 primary storage record, DOM-70 object counts, DOM-72 storage option.
public enum FileUpdateStore {
    public static func update(_ file: FileRef, changes: FileChanges, origin: AuditOrigin, caller: Caller,
                              database: Database) throws -> FileWriteOutcome {
        try UniqueRace.retryingOnce {
            try database.transaction { connection in
                try update(file, changes: changes, origin: origin, caller: caller, on: connection)
            }
        }
    }

    /// The columns an update may change, as stored.
    private struct Current {
        let uri: String
        let size: Int64
        let fileFormat: String
        let state: String
        let storageOption: String
        let lastFixityCheck: Timestamp
    }

    private static func update(_ file: FileRef, changes: FileChanges, origin: AuditOrigin, caller: Caller,
                               on connection: PGConnection) throws -> FileWriteOutcome {
        if !changes.events.isEmpty {
            try FileWriteLocks.chainHead(institutionID: file.object.institutionID, on: connection)
        }
        let locked = try FileWriteLocks.object(id: file.object.id, on: connection)
        let current = try lockFile(file.id, on: connection)
        let stored = try StoredFileState.load(identifiers: [], extraFileIDs: [file.id],
                                              eventIDs: changes.events.compactMap(\.existingID), on: connection)
        var errors = FieldErrors()
        let plan = NestedChildrenPlan(checksums: changes.checksums, events: changes.events, fileID: file.id,
                                      stored: stored, errors: &errors)
        try errors.throwIfAny()
        guard locked.state == "A" else { throw RegistryError.conflict("object is deleted") }

        let uri = changes.uri ?? current.uri
        let size = changes.size ?? current.size
        let fileFormat = changes.fileFormat ?? current.fileFormat
        // Monotonic like DOM-73 ([Fix]): a PUT echoing a stale `last_fixity_check` (the workers send
        // back the record they read) must not move it back and re-queue the file for fixity.
        let lastFixityCheck = max(changes.lastFixityCheck ?? current.lastFixityCheck, current.lastFixityCheck)
        var diff: [(field: String, old: FileAuditDetails.Value, new: FileAuditDetails.Value)] = []
        if !uri.utf8.elementsEqual(current.uri.utf8) { diff.append(("uri", .text(current.uri), .text(uri))) }
        if size != current.size { diff.append(("size", .integer(current.size), .integer(size))) }
        if !fileFormat.utf8.elementsEqual(current.fileFormat.utf8) {
            diff.append(("file_format", .text(current.fileFormat), .text(fileFormat)))
        }
        if lastFixityCheck != current.lastFixityCheck {
            diff.append(("last_fixity_check", .timestamp(current.lastFixityCheck), .timestamp(lastFixityCheck)))
        }
        // [Compat] the update revives a deleted file; DOM-72: storage option follows the object.
        if current.state != "A" { diff.append(("state", .text(current.state), .text("A"))) }
        if current.storageOption != locked.storageOption {
            diff.append(("storage_option", .text(current.storageOption), .text(locked.storageOption)))
        }
        if !diff.isEmpty {
            _ = try connection.query("""
                UPDATE generic_files SET uri = \(uri), size = \(size), file_format = \(fileFormat),
                    last_fixity_check = \(lastFixityCheck), state = 'A', storage_option = \(locked.storageOption),
                    updated_at = now()
                WHERE id = \(file.id)
                """)
        }

        let revived = current.state != "A"
        try ObjectFileCounts.adjust(objectID: file.object.id, count: revived ? 1 : 0,
                                    size: revived ? size : size - current.size, on: connection)
        if revived || !uri.utf8.elementsEqual(current.uri.utf8) {
            try FileRows.makeCurrentPrimary(fileID: file.id, url: uri, on: connection)
        }

        // Children after the row update, so that DOM-73 (applied by the event store) wins over a
        // stale `last_fixity_check` in the body.
        try FileRows.insertChecksums(plan.checksumsToInsert.map { (file.id, $0) }, on: connection)
        let groups = plan.eventsToAppend.isEmpty ? [] : [NestedEventAppend.Group(
            element: 0, fileID: file.id, fileIdentifier: file.identifier, events: plan.eventsToAppend)]
        let appended = try NestedEventAppend.append(groups, object: file.object, on: connection)
        if diff.isEmpty {
            // DOM-7: `updated_at` moves on every update, also one that changes no field (as for
            // objects and work items).
            _ = try connection.query("UPDATE generic_files SET updated_at = now() WHERE id = \(file.id)")
        }

        try AuditLog.append(AuditEntry(
            origin: origin, caller: caller, action: "file.update", resourceType: "generic_file", resourceID: file.id,
            resourceIdentifier: file.identifier, institutionID: file.object.institutionID, status: 200,
            details: FileAuditDetails.update(changes: diff, checksums: plan.checksumsToInsert.count,
                                             events: appended.created.count)), on: connection)
        return FileWriteOutcome(fileIDs: [file.id], everythingReplayed: false, replayedFiles: 0,
                                createdEvents: appended.created)
    }

    private static func lockFile(_ id: Int64, on connection: PGConnection) throws -> Current {
        let result = try connection.query("""
            SELECT uri, size, file_format, state, storage_option, last_fixity_check FROM generic_files
            WHERE id = \(id) FOR NO KEY UPDATE
            """)
        guard result.rowCount == 1, let checked = try result.timestamp(0, 5) else {
            throw PGError(kind: .other, message: "file \(id) vanished (files are never deleted)")
        }
        return Current(uri: result.string(0, 0) ?? "", size: try result.int64(0, 1) ?? 0,
                       fileFormat: result.string(0, 2) ?? "", state: result.string(0, 3) ?? "",
                       storageOption: result.string(0, 4) ?? "", lastFixityCheck: checked)
    }
}
