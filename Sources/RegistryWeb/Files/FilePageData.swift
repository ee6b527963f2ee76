import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// What the file page reads: one query per section.
struct FilePageData {
    var fields = FieldList()
    var checksums: [[String: Any]] = []
    var fixity: [String: Any] = [:]
    var fixityChecks: [[String: Any]] = []
    var storageRecords: [[String: Any]] = []
    var events: [[String: Any]] = []
    var eventCount = 0

    static func load(_ file: FileRef, eventsPage: Int, caller: Caller, on connection: PGConnection) throws -> FilePageData {
        var data = FilePageData()
        let row = try connection.query("""
            SELECT f.id, f.identifier, f.intellectual_object_identifier, i.identifier, f.file_format, f.uri, f.size,
                   f.state, f.storage_option, f.last_fixity_check, f.created_at, f.updated_at,
                   floor(extract(epoch FROM now() - f.last_fixity_check) / 86400)::bigint
            FROM generic_files f JOIN institutions i ON i.id = f.institution_id WHERE f.id = \(file.id)
            """)
        var fields = FieldList()
        fields.number("Id", try row.int64(0, 0))
        fields.text("Identifier", row.string(0, 1))
        fields.link("Object", row.string(0, 2), href: row.string(0, 2).map(Links.object))
        fields.link("Institution", row.string(0, 3), href: Links.institution(row.string(0, 3), for: caller))
        fields.text("Format", row.string(0, 4))
        fields.text("URI", row.string(0, 5), mono: true)
        fields.size("Size", try row.int64(0, 6))
        fields.text("State", row.string(0, 7).map(Display.state))
        fields.text("Storage option", row.string(0, 8))
        fields.time("Last fixity check", try row.timestamp(0, 9))
        fields.time("Created", try row.timestamp(0, 10))
        fields.time("Updated", try row.timestamp(0, 11))
        data.fields = fields

        let checksums = try connection.query("""
            SELECT algorithm, digest, datetime FROM checksums WHERE generic_file_id = \(file.id) ORDER BY datetime, id
            """)
        data.checksums = try (0..<checksums.rowCount).map { row in
            ["algorithm": checksums.string(row, 0) ?? "", "digest": checksums.string(row, 1) ?? "",
             "datetime": Display.time(try checksums.timestamp(row, 2)) ?? false]
        }

        // AUD-31: every fixity check event, oldest first; the newest one's outcome is the last outcome.
        let checks = try connection.query("""
            SELECT identifier, date_time, outcome, outcome_detail FROM premis_events
            WHERE generic_file_id = \(file.id) AND event_type = 'fixity check' ORDER BY date_time, id
            """)
        data.fixityChecks = try (0..<checks.rowCount).map { row in
            let outcome = checks.string(row, 2) ?? ""
            let identifier = checks.string(row, 0) ?? ""
            return ["href": Links.event(identifier), "date_time": Display.time(try checks.timestamp(row, 1)) ?? false,
                    "outcome": outcome, "failed": Display.isFailure(outcome), "detail": checks.string(row, 3) ?? ""]
        }
        let lastOutcome = checks.rowCount > 0 ? checks.string(checks.rowCount - 1, 2) : nil
        data.fixity = ["last_check": Display.time(try row.timestamp(0, 9)) ?? false,
                       "days_ago": Display.grouped(try row.int64(0, 12) ?? 0),
                       "last_outcome": lastOutcome ?? false, "last_failed": Display.isFailure(lastOutcome)]

        let records = try connection.query("""
            SELECT s.url, s.kind, s.created_at, s.superseded_at, e.identifier
            FROM storage_records s LEFT JOIN premis_events e ON e.id = s.source_event_id
            WHERE s.generic_file_id = \(file.id) ORDER BY s.id
            """)
        data.storageRecords = try (0..<records.rowCount).map { row in
            let event = records.string(row, 4)
            return ["url": records.string(row, 0) ?? "", "kind": records.string(row, 1) ?? "",
                    "created": Display.time(try records.timestamp(row, 2)) ?? false,
                    "superseded": Display.time(try records.timestamp(row, 3)) ?? false,
                    "event": event ?? false, "event_href": event.map(Links.event) ?? false]
        }

        let offset = (eventsPage - 1) * FileShowPage.eventsPerPage
        let events = try connection.query("""
            SELECT e.identifier, e.event_type, e.date_time, e.outcome, e.generic_file_identifier, e.agent
            FROM premis_events e WHERE e.generic_file_id = \(file.id)
            ORDER BY e.date_time DESC, e.id DESC LIMIT \(FileShowPage.eventsPerPage) OFFSET \(offset)
            """)
        data.events = try EventRows.rows(events)
        data.eventCount = try connection.query(
            "SELECT count(*) FROM premis_events WHERE generic_file_id = \(file.id)").int(0, 0) ?? 0
        return data
    }
}
