import Formats
import Postgres

/// Restore requests (domain.md DOM-110, DOM-111; api-v2.md API-110). Each is one transaction: the
/// checks, the new work item and the `restore.request` audit row (DOM-82, OPS-68).
public enum RestoreStore {
    /// DOM-110: queues a restore of `object`; returns the new work item's id.
    /// Throws `.conflict` when the object is deleted or has pending work (DOM-102).
    public static func requestObjectRestore(_ object: ObjectRef, context: WorkflowContext,
                                            database: Database) throws -> Int64 {
        try database.transaction { connection in
            // The object row lock serializes restore and deletion requests for the object, so two
            // concurrent requests cannot both pass the pending-work check.
            let locked = try FileWriteLocks.object(id: object.id, on: connection)
            guard locked.state == "A" else { throw RegistryError.conflict("object is deleted: \(object.identifier)") }
            if let action = try PendingWork.forObject(object, on: connection) {
                throw RegistryError.conflict("object has pending work (\(action)): \(object.identifier)")
            }
            let size = try objectSize(object.id, on: connection)
            let action = restoreAction(storageOption: locked.storageOption)
            let itemID = try ServerWorkItems.insertRestore(objectID: object.id, file: nil, action: action, size: size,
                                                           requester: context.caller.email, on: connection)
            try AuditLog.append(context.audit(
                "restore.request", resourceType: "intellectual_object", resourceID: object.id,
                resourceIdentifier: object.identifier, institutionID: object.institutionID, status: 200,
                details: details(itemID: itemID, action: action)), on: connection)
            return itemID
        }
    }

    /// DOM-111: queues a restore of one file; returns the new work item's id.
    /// Throws `.conflict` when the file is deleted, its object has a pending `Ingest`, `Restore` or
    /// `Glacier Restore`, or the file has a pending `Delete`.
    public static func requestFileRestore(_ file: FileRef, context: WorkflowContext, database: Database) throws -> Int64 {
        try database.transaction { connection in
            _ = try FileWriteLocks.object(id: file.object.id, on: connection)
            let current = try connection.query("SELECT state, storage_option, size FROM generic_files WHERE id = \(file.id)")
            guard current.rowCount == 1, current.string(0, 0) == "A" else {
                throw RegistryError.conflict("file is deleted: \(file.identifier)")
            }
            if let action = try PendingWork.forFile(file, on: connection) {
                throw RegistryError.conflict("file has pending work (\(action)): \(file.identifier)")
            }
            let action = restoreAction(storageOption: current.string(0, 1) ?? "Standard")
            let itemID = try ServerWorkItems.insertRestore(objectID: file.object.id, file: file, action: action,
                                                           size: try current.int64(0, 2) ?? 0,
                                                           requester: context.caller.email, on: connection)
            try AuditLog.append(context.audit(
                "restore.request", resourceType: "generic_file", resourceID: file.id, resourceIdentifier: file.identifier,
                institutionID: file.object.institutionID, status: 200, details: details(itemID: itemID, action: action)),
                on: connection)
            return itemID
        }
    }

    /// DOM-110: `Restore` for `Standard` storage, `Glacier Restore` for every Glacier option.
    public static func restoreAction(storageOption: String) -> String {
        storageOption == "Standard" ? "Restore" : "Glacier Restore"
    }

    private static func objectSize(_ id: Int64, on connection: PGConnection) throws -> Int64 {
        try connection.query("SELECT file_size FROM intellectual_objects WHERE id = \(id)").int64(0, 0) ?? 0
    }

    private static func details(itemID: Int64, action: String) -> [UInt8] {
        var writer = JSONWriter(capacity: 64)
        writer.beginObject()
        writer.field("work_item_id", itemID)
        writer.field("action", action)
        writer.endObject()
        return writer.bytes
    }
}
