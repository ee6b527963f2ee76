import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// What the object page reads: one query per section, none per row.
struct ObjectPageData {
    var fields = FieldList()
    var files: [[String: Any]] = []
    var fileCount = 0
    var events: [[String: Any]] = []
    var items: [[String: Any]] = []
    var openDeletion: [String: Any]?

    static func load(_ object: ObjectRef, filesPage: Int, caller: Caller, on connection: PGConnection) throws -> ObjectPageData {
        var data = ObjectPageData()
        let row = try connection.query("""
            SELECT o.id, o.identifier, o.bag_name, o.title, o.description, o.alt_identifier, o.access, i.identifier,
                   o.state, o.etag, o.bag_group_identifier, o.storage_option, o.bagit_profile_identifier,
                   o.source_organization, o.internal_sender_identifier, o.internal_sender_description,
                   o.file_count, o.file_size, o.created_at, o.updated_at
            FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id WHERE o.id = \(object.id)
            """)
        var fields = FieldList()
        fields.number("Id", try row.int64(0, 0))
        fields.text("Identifier", row.string(0, 1))
        fields.text("Bag name", row.string(0, 2))
        fields.text("Title", row.string(0, 3))
        fields.text("Description", row.string(0, 4))
        fields.text("Alternate identifier", row.string(0, 5))
        fields.text("Access", row.string(0, 6))
        fields.link("Institution", row.string(0, 7), href: Links.institution(row.string(0, 7), for: caller))
        fields.text("State", row.string(0, 8).map(Display.state))
        fields.text("ETag", row.string(0, 9), mono: true)
        fields.text("Bag group identifier", row.string(0, 10))
        fields.text("Storage option", row.string(0, 11))
        fields.text("BagIt profile identifier", row.string(0, 12))
        fields.text("Source organization", row.string(0, 13))
        fields.text("Internal sender identifier", row.string(0, 14))
        fields.text("Internal sender description", row.string(0, 15))
        fields.number("Active files", try row.int64(0, 16))
        fields.size("Size of active files", try row.int64(0, 17))
        fields.time("Created", try row.timestamp(0, 18))
        fields.time("Updated", try row.timestamp(0, 19))
        data.fields = fields

        let offset = (filesPage - 1) * ObjectShowPage.filesPerPage
        let files = try connection.query("""
            SELECT f.identifier, f.file_format, f.size, f.state, f.last_fixity_check FROM generic_files f
            WHERE f.intellectual_object_id = \(object.id) ORDER BY \(FileOrder.withinObject), f.id
            LIMIT \(ObjectShowPage.filesPerPage) OFFSET \(offset)
            """)
        data.files = try (0..<files.rowCount).map { row in
            let identifier = files.string(row, 0) ?? ""
            return ["identifier": identifier, "href": Links.file(identifier), "format": files.string(row, 1) ?? "",
                    "size": Display.size(try files.int64(row, 2) ?? 0), "state": Display.state(files.string(row, 3) ?? ""),
                    "last_fixity": Display.time(try files.timestamp(row, 4)) ?? false]
        }
        data.fileCount = try connection.query(
            "SELECT count(*) FROM generic_files WHERE intellectual_object_id = \(object.id)").int(0, 0) ?? 0

        let events = try connection.query("""
            SELECT e.identifier, e.event_type, e.date_time, e.outcome, e.generic_file_identifier, e.agent
            FROM premis_events e WHERE e.intellectual_object_id = \(object.id)
            ORDER BY e.date_time DESC, e.id DESC LIMIT 10
            """)
        data.events = try EventRows.rows(events)

        // Work items and deletion requests are their institution's only (domain.md §7.2), even
        // when the object is another institution's `consortia` one.
        if caller.isAdmin || caller.institutionID == object.institutionID {
            let items = try connection.query("""
                SELECT w.id, w.name, w.action, w.stage, w.status, w.date FROM work_items w
                WHERE w.object_identifier = \(object.identifier) AND w.institution_id = \(object.institutionID)
                ORDER BY w.date DESC, w.id DESC LIMIT 10
                """)
            data.items = try (0..<items.rowCount).map { row in
                let id = try items.int64(row, 0) ?? 0
                return ["href": Links.item(id), "name": items.string(row, 1) ?? "", "action": items.string(row, 2) ?? "",
                        "stage": items.string(row, 3) ?? "", "status": items.string(row, 4) ?? "",
                        "date": Display.time(try items.timestamp(row, 5)) ?? false]
            }
            let deletion = try connection.query("""
                SELECT dr.id, dr.status, dr.requested_at, u.email
                FROM deletion_request_objects dro
                JOIN deletion_requests dr ON dr.id = dro.deletion_request_id
                JOIN users u ON u.id = dr.requested_by_id
                WHERE dro.intellectual_object_id = \(object.id)
                  AND (dr.status = 'approved' OR (dr.status IN ('requested', 'institution_approved')
                                                  AND dr.token_expires_at > now()))
                ORDER BY dr.id DESC LIMIT 1
                """)
            if deletion.rowCount == 1, let id = try deletion.int64(0, 0) {
                data.openDeletion = ["href": Links.deletion(id), "id": id, "status": deletion.string(0, 1) ?? "",
                                     "requested_at": Display.time(try deletion.timestamp(0, 2)) ?? false,
                                     "requested_by": deletion.string(0, 3) ?? ""]
            }
        }
        return data
    }
}

/// Event rows as the event tables show them (identifier, type, date, outcome, file, agent).
enum EventRows {
    static func rows(_ result: PGResult) throws -> [[String: Any]] {
        try (0..<result.rowCount).map { row in
            let identifier = result.string(row, 0) ?? ""
            let outcome = result.string(row, 3) ?? ""
            let file = result.string(row, 4)
            return ["identifier": identifier, "href": Links.event(identifier), "event_type": result.string(row, 1) ?? "",
                    "date_time": Display.time(try result.timestamp(row, 2)) ?? false, "outcome": outcome,
                    "failed": Display.isFailure(outcome), "file": file ?? false,
                    "file_href": file.map(Links.file) ?? false, "agent": result.string(row, 5) ?? ""]
        }
    }
}
