import Formats
import Postgres

/// `POST /checksums/{file}` (api-v2.md §10.4, API-60..65): one checksum, replayed when its natural
/// key (file, algorithm, datetime) exists with the same digest, a 422 on `datetime` otherwise.
public enum ChecksumStore {
    public struct Outcome: Sendable {
        public let id: Int64
        public let replayed: Bool
    }

    /// - Parameter checksum: validated (DOM-17); its `claimedFileID` already checked by the caller.
    public static func create(_ checksum: ChecksumInput, for file: FileRef, origin: AuditOrigin, caller: Caller,
                              database: Database) throws -> Outcome {
        try UniqueRace.retryingOnce {
            try database.transaction { connection in
                try create(checksum, for: file, origin: origin, caller: caller, on: connection)
            }
        }
    }

    private static func create(_ checksum: ChecksumInput, for file: FileRef, origin: AuditOrigin, caller: Caller,
                               on connection: PGConnection) throws -> Outcome {
        let existing = try connection.query("""
            SELECT id, digest FROM checksums
            WHERE generic_file_id = \(file.id) AND algorithm = \(checksum.algorithm) AND datetime = \(checksum.datetime)
            """)
        let outcome: Outcome
        if existing.rowCount == 1, let id = try existing.int64(0, 0) {
            guard (existing.string(0, 1) ?? "").utf8.elementsEqual(checksum.digest.utf8) else {
                throw RegistryError.validation(FieldErrors("datetime", "has already been taken"))
            }
            outcome = Outcome(id: id, replayed: true)
        } else {
            let inserted = try connection.query("""
                INSERT INTO checksums (generic_file_id, algorithm, datetime, digest)
                VALUES (\(file.id), \(checksum.algorithm), \(checksum.datetime), \(checksum.digest))
                RETURNING id
                """)
            outcome = Outcome(id: try inserted.int64(0, 0) ?? 0, replayed: false)
        }
        try AuditLog.append(AuditEntry(
            origin: origin, caller: caller, action: "checksum.create", resourceType: "checksum", resourceID: outcome.id,
            resourceIdentifier: file.identifier, institutionID: file.object.institutionID, status: 201,
            details: outcome.replayed ? AuditEntry.replayedDetails : nil), on: connection)
        return outcome
    }
}
