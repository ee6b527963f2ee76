import Formats
import Postgres
import RegistryCore

/// The rows of one nested list for a set of files, grouped by file id: one query for all files
/// (never one per file), ordered by file id then the API-71 order, so each file's children are a
/// contiguous range of rows that is written straight from the result cells.
struct ChildRows {
    let result: PGResult
    let representation: Representation
    /// Rows of each file. Built once per response; the only per-file bookkeeping there is.
    private let ranges: [Int64: Range<Int>]

    /// `query` selects the file id first, then `representation.selectList`.
    init(_ query: PGQuery, representation: Representation, on connection: PGConnection) throws {
        result = try connection.query(query)
        self.representation = representation
        var ranges: [Int64: Range<Int>] = [:]
        var start = 0
        var current: Int64?
        for row in 0..<result.rowCount {
            let fileID = try result.int64(row, 0)
            if fileID != current {
                if let current { ranges[current] = start..<row }
                current = fileID
                start = row
            }
        }
        if let current { ranges[current] = start..<result.rowCount }
        self.ranges = ranges
    }

    /// `"key": [ … ]` with the file's rows (an empty array when it has none).
    func write(_ key: StaticString, fileID: Int64, into writer: inout JSONWriter) {
        writer.key(key)
        writer.beginArray()
        for row in ranges[fileID] ?? (0..<0) {
            representation.writeObject(result, row: row, offset: 1, into: &writer)
        }
        writer.endArray()
    }
}

/// The nested lists of a set of files (API-96), one query per requested kind.
struct FileChildren {
    private var checksums: ChildRows?
    private var events: ChildRows?
    private var storageRecords: ChildRows?

    static func load(fileIDs: [Int64], includes: FileIncludes, on connection: PGConnection) throws -> FileChildren {
        var children = FileChildren()
        guard !fileIDs.isEmpty else { return children }
        if includes.checksums {
            var query: PGQuery = "SELECT c.generic_file_id, "
            query.append(Representations.checksum.selectList)
            query.append("""
                 FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id
                WHERE c.generic_file_id = ANY(\(fileIDs)::bigint[]) ORDER BY c.generic_file_id, c.datetime, c.id
                """)
            children.checksums = try ChildRows(query, representation: Representations.checksum, on: connection)
        }
        if includes.events {
            var query: PGQuery = "SELECT e.generic_file_id, "
            query.append(Representations.event.selectList)
            query.append("""
                 FROM premis_events e JOIN institutions i ON i.id = e.institution_id
                WHERE e.generic_file_id = ANY(\(fileIDs)::bigint[]) ORDER BY e.generic_file_id, e.date_time, e.id
                """)
            children.events = try ChildRows(query, representation: Representations.event, on: connection)
        }
        if includes.storageRecords {
            var query: PGQuery = "SELECT s.generic_file_id, "
            query.append(Representations.storageRecord.selectList)
            query.append("""
                 FROM storage_records s JOIN generic_files f ON f.id = s.generic_file_id
                LEFT JOIN premis_events se ON se.id = s.source_event_id
                WHERE s.generic_file_id = ANY(\(fileIDs)::bigint[]) ORDER BY s.generic_file_id, s.id
                """)
            children.storageRecords = try ChildRows(query, representation: Representations.storageRecord, on: connection)
        }
        return children
    }

    /// Writes the file of `row` (a `Representations.file` select list) with the loaded lists.
    func writeFile(_ result: PGResult, row: Int, into writer: inout JSONWriter) throws {
        writer.beginObject()
        Representations.file.writeMembers(result, row: row, into: &writer)
        let fileID = try result.int64(row, 0) ?? 0
        checksums?.write("checksums", fileID: fileID, into: &writer)
        events?.write("premis_events", fileID: fileID, into: &writer)
        storageRecords?.write("storage_records", fileID: fileID, into: &writer)
        writer.endObject()
    }
}

/// Files read back by id with their nested lists: show, and the responses of writes.
struct FileDocuments {
    private let files: PGResult
    private let rowByID: [Int64: Int]
    private let children: FileChildren

    static func read(fileIDs: [Int64], includes: FileIncludes, on connection: PGConnection) throws -> FileDocuments {
        var query: PGQuery = "SELECT "
        query.append(Representations.file.selectList)
        query.append(" FROM generic_files f WHERE f.id = ANY(\(fileIDs)::bigint[])")
        let files = try connection.query(query)
        var rowByID: [Int64: Int] = [:]
        for row in 0..<files.rowCount {
            if let id = try files.int64(row, 0) { rowByID[id] = row }
        }
        return FileDocuments(files: files, rowByID: rowByID,
                             children: try FileChildren.load(fileIDs: fileIDs, includes: includes, on: connection))
    }

    /// Writes the file `id`; nothing when it was not found (the caller read it under the same rules).
    func write(id: Int64, into writer: inout JSONWriter) throws {
        guard let row = rowByID[id] else { return }
        try children.writeFile(files, row: row, into: &writer)
    }

    var count: Int { files.rowCount }
}
