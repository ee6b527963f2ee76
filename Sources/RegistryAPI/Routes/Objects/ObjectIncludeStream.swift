import Formats
import HTTPServer
import Postgres
import RegistryCore

/// An object with its files, checksums and events (API-91), streamed: an object may have 10,000
/// files and 60,000 events, so nothing is held beyond one batch of rows and about 64 KiB of JSON.
///
/// Everything is read in one REPEATABLE READ READ ONLY transaction, so the object, its files and
/// its events are one consistent snapshot even though the response takes a while. Files and
/// object events come through cursors (`PGConnection.stream`); the children of each batch of files
/// come from one query per nested level (never a query per file), ordered by the file's position
/// in the batch so they can be merged while writing.
enum ObjectIncludeStream {
    static let fileBatchSize = 500
    static let eventBatchSize = 2000

    static func response(objectID: Int64, includes: ObjectIncludes, call: APICall, pool: PostgresPool,
                         headers: HTTPHeaders) -> HTTPResponse {
        let failures = StreamFailureMapper(call: call)
        var headers = headers
        headers.add("Content-Type", APIResponse.jsonContentType)
        headers.add("Cache-Control", "no-store")
        return HTTPResponse(status: 200, headers: headers, body: .stream { writer in
            var output = StreamedJSON(writer: writer)
            do {
                try pool.withTransaction(.repeatableRead, readOnly: true) { connection in
                    try write(objectID: objectID, includes: includes, on: connection, into: &output)
                }
            } catch {
                // Before the first byte the failure can still be a proper error response (e.g. 503
                // when the pool is exhausted); after it, only a truncated transfer is honest.
                if output.started {
                    failures.logFailureMidStream(error)
                    throw error
                }
                throw failures.failure(for: error)
            }
        })
    }

    private static func write(objectID: Int64, includes: ObjectIncludes, on connection: PGConnection,
                              into output: inout StreamedJSON) throws {
        let object = try connection.query(ObjectRepresentation.query(id: objectID))
        guard object.rowCount == 1 else {
            throw PGError(kind: .other, message: "object \(objectID) vanished before its includes were read")
        }
        output.json.beginObject()
        Representations.object.writeMembers(object, row: 0, into: &output.json)
        if includes.files {
            output.json.key("generic_files")
            output.json.beginArray()
            try writeFiles(objectID: objectID, withEvents: includes.fileEvents, on: connection, into: &output)
            output.json.endArray()
        }
        if includes.events {
            output.json.key("premis_events")
            output.json.beginArray()
            try connection.stream(ObjectIncludeQueries.objectEvents(objectID), batchSize: eventBatchSize) { batch in
                for row in 0..<batch.rowCount {
                    Representations.event.writeObject(batch, row: row, into: &output.json)
                    try output.flushIfLarge()
                }
            }
            output.json.endArray()
        }
        output.json.endObject()
        try output.flush()
    }

    /// Active files by identifier (API-71), each with its checksums (`datetime`, `id`) and, for
    /// `include_all_relations`, its events (`date_time`, `id`).
    private static func writeFiles(objectID: Int64, withEvents: Bool, on connection: PGConnection,
                                   into output: inout StreamedJSON) throws {
        try connection.stream(ObjectIncludeQueries.activeFiles(objectID), batchSize: fileBatchSize) { files in
            var ids: [Int64] = []
            ids.reserveCapacity(files.rowCount)
            for row in 0..<files.rowCount { ids.append(try files.int64(row, 0) ?? 0) }
            var checksums = BatchChildren(try connection.query(ObjectIncludeQueries.checksums(fileIDs: ids)))
            var events = withEvents ? BatchChildren(try connection.query(ObjectIncludeQueries.fileEvents(fileIDs: ids))) : nil
            for row in 0..<files.rowCount {
                output.json.beginObject()
                Representations.file.writeMembers(files, row: row, into: &output.json)
                output.json.key("checksums")
                output.json.beginArray()
                try checksums.writeObjects(ofPosition: row + 1, as: Representations.checksum, into: &output.json)
                output.json.endArray()
                if events != nil {
                    output.json.key("premis_events")
                    output.json.beginArray()
                    try events?.writeObjects(ofPosition: row + 1, as: Representations.event, into: &output.json)
                    output.json.endArray()
                }
                output.json.endObject()
                try output.flushIfLarge()
            }
        }
    }
}

/// The SQL of the includes.
enum ObjectIncludeQueries {
    static func activeFiles(_ objectID: Int64) -> PGQuery {
        var query: PGQuery = "SELECT "
        query.append(Representations.file.selectList)
        // Read in order from generic_files_object_identifier_idx (FileOrder); identifiers are unique,
        // so no `id` tie-breaker.
        query.append(" FROM generic_files f WHERE f.intellectual_object_id = \(objectID) AND f.state = 'A' ORDER BY \(FileOrder.withinObject)")
        return query
    }

    static func checksums(fileIDs: [Int64]) -> PGQuery {
        var query: PGQuery = "SELECT b.pos, "
        query.append(Representations.checksum.selectList)
        query.append("""
             FROM unnest(\(fileIDs)::int8[]) WITH ORDINALITY AS b(file_id, pos)
            JOIN checksums c ON c.generic_file_id = b.file_id
            JOIN generic_files f ON f.id = b.file_id
            ORDER BY b.pos, c.datetime, c.id
            """)
        return query
    }

    static func fileEvents(fileIDs: [Int64]) -> PGQuery {
        var query: PGQuery = "SELECT b.pos, "
        query.append(Representations.event.selectList)
        // `IS NOT NULL` lets the planner use the partial index premis_events_file_date_time_idx.
        query.append("""
             FROM unnest(\(fileIDs)::int8[]) WITH ORDINALITY AS b(file_id, pos)
            JOIN premis_events e ON e.generic_file_id = b.file_id AND e.generic_file_id IS NOT NULL
            JOIN institutions i ON i.id = e.institution_id
            ORDER BY b.pos, e.date_time, e.id
            """)
        return query
    }

    /// Every event of the object, object- and file-level (premis_events_object_date_time_idx).
    static func objectEvents(_ objectID: Int64) -> PGQuery {
        var query: PGQuery = "SELECT "
        query.append(Representations.event.selectList)
        query.append("""
             FROM premis_events e JOIN institutions i ON i.id = e.institution_id
            WHERE e.intellectual_object_id = \(objectID) ORDER BY e.date_time, e.id
            """)
        return query
    }
}
