import Formats
import Postgres

/// Creates files with their nested checksums and events: `POST /files`, `POST /files/{obj}` (one
/// file) and `create_batch` (api-v2.md API-97, API-98, API-60..65; domain.md DOM-63, DOM-70..74,
/// DOM-104). Everything — files, checksums, storage records, events, derived counts and the audit
/// row — is one transaction: all or nothing.
public enum FileCreationStore {
    public enum Kind: Sendable {
        /// Audit action `file.create`, resource the file.
        case single
        /// Audit action `file.create_batch`, resource the object.
        case batch
    }

    /// - Parameter files: validated input (identifiers already checked against `object`).
    public static func create(_ files: [FileInput], in object: ObjectRef, kind: Kind, origin: AuditOrigin,
                              caller: Caller, database: Database) throws -> FileWriteOutcome {
        try UniqueRace.retryingOnce {
            try database.transaction { connection in
                try create(files, in: object, kind: kind, origin: origin, caller: caller, on: connection)
            }
        }
    }

    private static func create(_ files: [FileInput], in object: ObjectRef, kind: Kind, origin: AuditOrigin,
                               caller: Caller, on connection: PGConnection) throws -> FileWriteOutcome {
        if files.contains(where: { !$0.events.isEmpty }) {
            try FileWriteLocks.chainHead(institutionID: object.institutionID, on: connection)
        }
        let locked = try FileWriteLocks.object(id: object.id, on: connection)
        let stored = try StoredFileState.load(
            identifiers: files.map(\.identifier),
            eventIDs: files.flatMap { $0.events.compactMap(\.existingID) }, on: connection)

        // Replay, conflict or create, per file and per child; every error of the request at once (API-52).
        var errors = FieldErrors()
        var existingIDs: [Int64?] = []
        var plans: [NestedChildrenPlan] = []
        var seen = Set<[UInt8]>()
        for file in files {
            let key = Array(file.identifier.utf8)
            if !seen.insert(key).inserted {
                errors.add(file.errorPrefix + "identifier", "appears more than once in this request")
            }
            let existing = stored.files[key]
            if let existing, !existing.matches(file) {
                errors.add(file.errorPrefix + "identifier", "has already been taken")
            }
            existingIDs.append(existing?.id)
            plans.append(NestedChildrenPlan(checksums: file.checksums, events: file.events, fileID: existing?.id,
                                            stored: stored, errors: &errors))
        }
        try errors.throwIfAny()
        // DOM-96b: state (409) after validity (422).
        guard locked.state == "A" else { throw RegistryError.conflict("object is deleted") }

        let newFiles = zip(files, existingIDs).filter { $0.1 == nil }.map(\.0)
        let parent = FileRows.Parent(objectID: object.id, objectIdentifier: object.identifier,
                                     institutionID: object.institutionID, storageOption: locked.storageOption)
        let newIDs = try FileRows.insert(newFiles, parent: parent, on: connection)
        let fileIDs = zip(files, existingIDs).map { file, existing in existing ?? newIDs[Array(file.identifier.utf8)] ?? 0 }
        try FileRows.insertPrimaryRecords(fileIDs: newFiles.map { newIDs[Array($0.identifier.utf8)] ?? 0 },
                                          urls: newFiles.map(\.uri), on: connection)

        var checksumRows: [(fileID: Int64, checksum: ChecksumInput)] = []
        var groups: [NestedEventAppend.Group] = []
        for (index, plan) in plans.enumerated() {
            checksumRows += plan.checksumsToInsert.map { (fileIDs[index], $0) }
            if !plan.eventsToAppend.isEmpty {
                groups.append(.init(element: index, fileID: fileIDs[index], fileIdentifier: files[index].identifier,
                                    events: plan.eventsToAppend))
            }
        }
        try FileRows.insertChecksums(checksumRows, on: connection)
        let appended = try NestedEventAppend.append(groups, object: object, on: connection)
        try ObjectFileCounts.adjust(objectID: object.id, count: Int64(newFiles.count),
                                    size: ObjectFileCounts.total(newFiles.map(\.size)), on: connection)

        // An element is a replay when the file existed and none of its children was stored.
        var replayedFiles = 0
        for (index, plan) in plans.enumerated() where existingIDs[index] != nil
            && plan.checksumsToInsert.isEmpty && appended.createdPerElement[index] == nil {
            replayedFiles += 1
        }
        let everythingReplayed = replayedFiles == files.count
        let entry: AuditEntry
        switch kind {
        case .single:
            entry = AuditEntry(
                origin: origin, caller: caller, action: "file.create", resourceType: "generic_file",
                resourceID: fileIDs.first, resourceIdentifier: files.first?.identifier, institutionID: object.institutionID,
                status: 201, details: FileAuditDetails.create(replayedFile: existingIDs.first.flatMap { $0 } != nil,
                                                              checksums: checksumRows.count, events: appended.created.count))
        case .batch:
            entry = AuditEntry(
                origin: origin, caller: caller, action: "file.create_batch", resourceType: "intellectual_object",
                resourceID: object.id, resourceIdentifier: object.identifier, institutionID: object.institutionID,
                status: 201, details: FileAuditDetails.batch(
                    createdIdentifiers: newFiles.map(\.identifier), replayedFiles: replayedFiles,
                    checksums: checksumRows.count, events: appended.created.count, everythingReplayed: everythingReplayed))
        }
        try AuditLog.append(entry, on: connection)
        return FileWriteOutcome(fileIDs: fileIDs, everythingReplayed: everythingReplayed, replayedFiles: replayedFiles,
                                createdEvents: appended.created)
    }
}
