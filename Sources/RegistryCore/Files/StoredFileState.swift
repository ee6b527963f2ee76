import Formats
import Postgres

/// A file as stored, with the content fields a create compares (api-v2.md API-62).
struct StoredFile {
    let id: Int64
    let uri: String
    let size: Int64
    let fileFormat: String

    /// API-62: `uri`, `size`, `file_format`, compared as UTF-8 bytes (DOM-5).
    func matches(_ input: FileInput) -> Bool {
        uri.utf8.elementsEqual(input.uri.utf8) && size == input.size
            && fileFormat.utf8.elementsEqual(input.fileFormat.utf8)
    }
}

/// The natural key of a checksum within its file (API-61).
struct ChecksumKey: Hashable {
    let algorithm: String
    let datetime: Timestamp
}

/// Files and children that already exist, loaded with one query per kind before a write.
struct StoredFileState {
    /// Keyed by the identifier's UTF-8 bytes: Swift's String hashing follows canonical
    /// equivalence, which DOM-5 rules out for identifiers.
    var files: [[UInt8]: StoredFile] = [:]
    /// Digest and id of each stored checksum, per file id and natural key.
    var checksums: [Int64: [ChecksumKey: (id: Int64, digest: String)]] = [:]
    /// File id (nil for object-level events) of each event named by a positive nested `id`.
    var eventFiles: [Int64: Int64?] = [:]

    /// Loads the files named by `identifiers`, the checksums of those files (and of
    /// `extraFileIDs`), and the events named by `eventIDs`.
    static func load(identifiers: [String], extraFileIDs: [Int64] = [], eventIDs: [Int64],
                     on connection: PGConnection) throws -> StoredFileState {
        var state = StoredFileState()
        if !identifiers.isEmpty {
            let result = try connection.query("""
                SELECT id, identifier, uri, size, file_format FROM generic_files WHERE identifier = ANY(\(identifiers)::text[])
                """)
            for row in 0..<result.rowCount {
                guard let id = try result.int64(row, 0), let identifier = result.string(row, 1) else { continue }
                state.files[Array(identifier.utf8)] = StoredFile(
                    id: id, uri: result.string(row, 2) ?? "", size: try result.int64(row, 3) ?? 0,
                    fileFormat: result.string(row, 4) ?? "")
            }
        }
        let fileIDs = state.files.values.map(\.id) + extraFileIDs
        if !fileIDs.isEmpty {
            let result = try connection.query("""
                SELECT id, generic_file_id, algorithm, datetime, digest FROM checksums
                WHERE generic_file_id = ANY(\(fileIDs)::bigint[])
                """)
            for row in 0..<result.rowCount {
                guard let id = try result.int64(row, 0), let fileID = try result.int64(row, 1),
                      let datetime = try result.timestamp(row, 3) else { continue }
                let key = ChecksumKey(algorithm: result.string(row, 2) ?? "", datetime: datetime)
                state.checksums[fileID, default: [:]][key] = (id, result.string(row, 4) ?? "")
            }
        }
        if !eventIDs.isEmpty {
            let result = try connection.query(
                "SELECT id, generic_file_id FROM premis_events WHERE id = ANY(\(eventIDs)::bigint[])")
            for row in 0..<result.rowCount {
                guard let id = try result.int64(row, 0) else { continue }
                state.eventFiles[id] = try result.int64(row, 1)
            }
        }
        return state
    }

    func hasChecksum(id: Int64, ofFile fileID: Int64) -> Bool {
        checksums[fileID]?.values.contains { $0.id == id } ?? false
    }
}
