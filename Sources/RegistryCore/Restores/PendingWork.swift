import Postgres

/// "Pending work" (domain.md DOM-102), the guard of restore and deletion requests (DOM-110,
/// DOM-111, DOM-120, DOM-130): a work item with status `Pending` or `Started`, one of the given
/// actions, and either `object_identifier` = the object's identifier, or (`Ingest`, same
/// institution, `name` = bag name + `.tar` or + `.bNNN.ofNNN.tar`) — a re-ingest still in progress.
enum PendingWork {
    /// The object-level actions of DOM-102.
    static let allActions = ["Ingest", "Restore", "Glacier Restore", "Delete"]
    /// DOM-111: what blocks a file restore (or file deletion) at the object level; a pending `Delete`
    /// blocks it only when it is for that very file (`deletesForFiles`).
    static let fileLevelObjectActions = ["Ingest", "Restore", "Glacier Restore"]

    struct ObjectKey: Sendable {
        let identifier: String
        let bagName: String
        let institutionID: Int64
    }

    /// The first pending action (lowest item id) of each object that has any, by its position in
    /// `objects` (positions, not identifiers, so that no Swift string comparison is involved, DOM-5).
    ///
    /// One statement for any number of objects (a bulk request checks hundreds). The multipart name
    /// clause is written as a byte range (`name >= bag.b AND name < bag.c`, `name` is COLLATE "C")
    /// plus a regular expression on the rest, because a bound `LIKE 'bag.b%'` pattern cannot use
    /// the (name, etag) index under a generic plan while a range can.
    static func forObjects(_ objects: [ObjectKey], actions: [String], on connection: PGConnection) throws -> [Int: String] {
        guard !objects.isEmpty else { return [:] }
        let result = try connection.query("""
            SELECT b.position, p.action
            FROM unnest(\(objects.map(\.identifier))::text[], \(objects.map(\.bagName))::text[],
                        \(objects.map(\.institutionID))::int8[]) WITH ORDINALITY AS b(identifier, bag, institution_id, position)
            CROSS JOIN LATERAL (
                SELECT w.action FROM work_items w
                WHERE w.status IN ('Pending', 'Started') AND w.action = ANY(\(actions)::text[])
                  AND (w.object_identifier = b.identifier
                       OR (w.action = 'Ingest' AND w.institution_id = b.institution_id
                           AND (w.name = b.bag || '.tar'
                                OR (w.name >= b.bag || '.b' AND w.name < b.bag || '.c'
                                    AND substr(w.name, char_length(b.bag) + 1) ~ '^\\.b[0-9]+\\.of[0-9]+\\.tar$'))))
                ORDER BY w.id LIMIT 1) p
            """)
        var pending: [Int: String] = [:]
        for row in 0..<result.rowCount {
            if let position = try result.int64(row, 0), let action = result.string(row, 1) {
                pending[Int(position) - 1] = action
            }
        }
        return pending
    }

    /// DOM-111: the positions in `identifiers` of the files that have a pending `Delete` of their own.
    static func deletesForFiles(_ identifiers: [String], on connection: PGConnection) throws -> Set<Int> {
        guard !identifiers.isEmpty else { return [] }
        let result = try connection.query("""
            SELECT b.position FROM unnest(\(identifiers)::text[]) WITH ORDINALITY AS b(identifier, position)
            WHERE EXISTS (SELECT 1 FROM work_items w
                          WHERE w.generic_file_identifier = b.identifier AND w.action = 'Delete'
                            AND w.status IN ('Pending', 'Started'))
            """)
        return Set(try (0..<result.rowCount).compactMap { try result.int64($0, 0).map { Int($0) - 1 } })
    }

    /// DOM-102 for one object: the pending action, or nil.
    static func forObject(_ object: ObjectRef, on connection: PGConnection) throws -> String? {
        try forObjects([ObjectKey(object)], actions: allActions, on: connection)[0]
    }

    /// DOM-111 for one file: the pending action at its object (`Ingest`/`Restore`/`Glacier Restore`)
    /// or a pending `Delete` of the file itself, or nil.
    static func forFile(_ file: FileRef, on connection: PGConnection) throws -> String? {
        if let action = try forObjects([ObjectKey(file.object)], actions: fileLevelObjectActions, on: connection)[0] {
            return action
        }
        return try deletesForFiles([file.identifier], on: connection).isEmpty ? nil : "Delete"
    }
}

extension PendingWork.ObjectKey {
    init(_ object: ObjectRef) {
        self.init(identifier: object.identifier, bagName: object.bagName, institutionID: object.institutionID)
    }
}
