import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `GET /files/{file}/fixity` (auditor.md AUD-31): the file, its `last_fixity_check`, the outcome of
/// its newest fixity check event, every checksum (`datetime` ASC) and every fixity check event
/// (`date_time` ASC). Shown to whoever may show the file (domain.md §7.2 "fixity history — show
/// rule"), another institution's `consortia` file included; any other file is a 404 exactly like
/// an unknown one (DOM-96a).
enum FileFixityHistory {
    static func respond(_ call: inout APICall) throws -> HTTPResponse {
        let identifier = try PathIdentifier(call, "file")
        let caller = call.caller
        let (file, fromReplica) = try call.readForThisPrefix { connection -> FileRef? in
            switch identifier.kind {
            case .file, .numericID:
                try identifier.lookup { try RecordLookups.file(identifierOrID: $0, caller: caller, on: connection) }
            default:
                nil
            }
        }
        guard let file else { throw FileRoutes.fileNotFound(identifier.literal) }
        try call.authorize()
        // One snapshot: the file row, its checksums and its events agree with each other.
        let body = try call.database.snapshot(onReplica: fromReplica) { connection in
            try document(fileID: file.id, on: connection)
        }
        return APIResponse.json(200, body)
    }

    static let lastFixityCheckColumn = column("last_fixity_check", of: Representations.file)
    static let outcomeColumn = column("outcome", of: Representations.event)

    private static func column(_ field: String, of representation: Representation) -> Int {
        guard let index = representation.columns.firstIndex(where: { $0.field.description == field }) else {
            preconditionFailure("the representation has no field \(field)")
        }
        return index
    }

    private static func document(fileID: Int64, on connection: PGConnection) throws -> [UInt8] {
        var fileQuery: PGQuery = "SELECT "
        fileQuery.append(Representations.file.selectList)
        fileQuery.append(" FROM generic_files f WHERE f.id = \(fileID)")
        let file = try connection.query(fileQuery)
        guard file.rowCount == 1 else {
            throw PGError(kind: .other, message: "file \(fileID) vanished before its fixity history was read")
        }

        var checksumQuery: PGQuery = "SELECT "
        checksumQuery.append(Representations.checksum.selectList)
        // The natural-key index (generic_file_id, algorithm, datetime) finds them; a file has few.
        checksumQuery.append("""
             FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id
            WHERE c.generic_file_id = \(fileID) ORDER BY c.datetime, c.id
            """)
        let checksums = try connection.query(checksumQuery)

        var eventQuery: PGQuery = "SELECT "
        eventQuery.append(Representations.event.selectList)
        // premis_events_file_date_time_idx (partial: generic_file_id IS NOT NULL) in date_time order.
        eventQuery.append("""
             FROM premis_events e JOIN institutions i ON i.id = e.institution_id
            WHERE e.generic_file_id = \(fileID) AND e.generic_file_id IS NOT NULL AND e.event_type = 'fixity check'
            ORDER BY e.date_time, e.id
            """)
        let events = try connection.query(eventQuery)

        var writer = JSONWriter(capacity: 2048 + (checksums.rowCount + events.rowCount) * 640)
        writer.beginObject()
        writer.key("generic_file")
        Representations.file.writeObject(file, row: 0, into: &writer)
        writer.key("last_fixity_check")
        writer.timestampCell(file, 0, lastFixityCheckColumn)
        writer.key("last_outcome")
        if events.rowCount > 0 {
            // The newest fixity check: the last row of the date_time, id order.
            writer.textCell(events, events.rowCount - 1, outcomeColumn)
        } else {
            writer.null()
        }
        writer.key("checksums")
        writer.beginArray()
        for row in 0..<checksums.rowCount { Representations.checksum.writeObject(checksums, row: row, into: &writer) }
        writer.endArray()
        writer.key("fixity_checks")
        writer.beginArray()
        for row in 0..<events.rowCount { Representations.event.writeObject(events, row: row, into: &writer) }
        writer.endArray()
        writer.endObject()
        return writer.bytes
    }
}
