import Formats
import Postgres

/// Multi-row inserts for files and their checksums and primary storage records.
///
/// Each kind goes in with ONE statement, `INSERT … SELECT … FROM unnest($1, $2, …)`: one fixed SQL
/// text (prepared once per connection whatever the row count) and one round trip. A create_batch
/// of 100 files with 2 checksums each would otherwise cost 300 round trips inside a transaction
/// that holds the object's row lock (and the chain lock when events are nested).
enum FileRows {
    /// The object the new files belong to (DOM-71 copies, DOM-72 storage option).
    struct Parent {
        let objectID: Int64
        let objectIdentifier: String
        let institutionID: Int64
        let storageOption: String
    }

    /// Inserts `files` in state `A`; returns their ids keyed by identifier bytes.
    static func insert(_ files: [FileInput], parent: Parent, on connection: PGConnection) throws -> [[UInt8]: Int64] {
        guard !files.isEmpty else { return [:] }
        let identifiers = files.map(\.identifier)
        let formats = files.map(\.fileFormat)
        let uris = files.map(\.uri)
        let sizes = files.map(\.size)
        let checks: [String?] = files.map { $0.lastFixityCheck?.postgresLiteral }
        let result = try connection.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                file_format, uri, size, state, storage_option, last_fixity_check)
            SELECT u.identifier, \(parent.objectID), \(parent.objectIdentifier), \(parent.institutionID), u.file_format,
                u.uri, u.size, 'A', \(parent.storageOption), coalesce(u.last_fixity_check, '2000-01-01T00:00:00Z')
            FROM unnest(\(identifiers)::text[], \(formats)::text[], \(uris)::text[], \(sizes)::bigint[],
                        \(checks)::timestamptz[]) WITH ORDINALITY
                 AS u(identifier, file_format, uri, size, last_fixity_check, position)
            ORDER BY u.position
            RETURNING id, identifier
            """)
        var ids: [[UInt8]: Int64] = [:]
        for row in 0..<result.rowCount {
            guard let id = try result.int64(row, 0), let identifier = result.string(row, 1) else { continue }
            ids[Array(identifier.utf8)] = id
        }
        return ids
    }

    /// Inserts checksums; each is (file id, checksum).
    static func insertChecksums(_ checksums: [(fileID: Int64, checksum: ChecksumInput)], on connection: PGConnection) throws {
        guard !checksums.isEmpty else { return }
        let fileIDs = checksums.map(\.fileID)
        let algorithms = checksums.map(\.checksum.algorithm)
        let datetimes = checksums.map(\.checksum.datetime.postgresLiteral)
        let digests = checksums.map(\.checksum.digest)
        _ = try connection.query("""
            INSERT INTO checksums (generic_file_id, algorithm, datetime, digest)
            SELECT u.file_id, u.algorithm, u.datetime, u.digest
            FROM unnest(\(fileIDs)::bigint[], \(algorithms)::text[], \(datetimes)::timestamptz[], \(digests)::text[])
                 AS u(file_id, algorithm, datetime, digest)
            """)
    }

    /// DOM-63: a `primary` storage record for each new file's `uri`.
    static func insertPrimaryRecords(fileIDs: [Int64], urls: [String], on connection: PGConnection) throws {
        guard !fileIDs.isEmpty else { return }
        _ = try connection.query("""
            INSERT INTO storage_records (generic_file_id, url, kind)
            SELECT u.file_id, u.url, 'primary' FROM unnest(\(fileIDs)::bigint[], \(urls)::text[]) AS u(file_id, url)
            ON CONFLICT (generic_file_id, url) DO NOTHING
            """)
    }

    /// DOM-63 on update: when the uri changed (or a deleted file is revived, DOM-65 having
    /// superseded its records) the current primary for another url is superseded, and the record
    /// for `url` becomes the current primary — re-used if that url was recorded before, because
    /// (file, url) is unique.
    static func makeCurrentPrimary(fileID: Int64, url: String, on connection: PGConnection) throws {
        _ = try connection.query("""
            UPDATE storage_records SET superseded_at = now(), updated_at = now()
            WHERE generic_file_id = \(fileID) AND kind = 'primary' AND superseded_at IS NULL AND url <> \(url)
            """)
        _ = try connection.query("""
            INSERT INTO storage_records (generic_file_id, url, kind) VALUES (\(fileID), \(url), 'primary')
            ON CONFLICT (generic_file_id, url) DO UPDATE SET kind = 'primary', superseded_at = NULL, updated_at = now()
            WHERE storage_records.superseded_at IS NOT NULL OR storage_records.kind <> 'primary'
            """)
    }
}
