import Formats
import Postgres

/// Idempotent replay of events (api-v2.md API-60..62): an identifier that already exists with the
/// same content is a replay, with other content a conflict.
enum EventReplay {
    struct Stored {
        let id: Int64
        let event: NewEvent
    }

    /// The stored events among `identifiers`, by identifier.
    static func existing(identifiers: [String], on connection: PGConnection) throws -> [String: Stored] {
        try stored(in: connection.query(query(identifiers: identifiers)))
    }

    /// The statement `existing` runs (for callers that pipeline it with others), read by `stored(in:)`.
    ///
    /// Performance: one identifier (every POST /events) is compared with `=`, not `= ANY(array)`:
    /// PostgreSQL estimates an array parameter at 10 elements, so the cached generic plan never
    /// beats the custom plan for the actual single element, and the statement was planned again at
    /// every execution (server log, bind: 0.07 ms of its 0.1 ms).
    static func query(identifiers: [String]) -> PGQuery {
        var query: PGQuery = """
            SELECT id, identifier::text, event_type, date_time, detail, outcome, outcome_detail, outcome_information,
                   object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id,
                   generic_file_identifier
            FROM premis_events
            """
        if identifiers.count == 1 {
            query.append(" WHERE identifier = \(identifiers[0])::uuid")
        } else {
            query.append(" WHERE identifier = ANY(\(identifiers)::uuid[])")
        }
        return query
    }

    /// The rows of `query`, by identifier.
    static func stored(in result: PGResult) throws -> [String: Stored] {
        var stored: [String: Stored] = [:]
        for row in 0..<result.rowCount {
            guard let id = try result.int64(row, 0), let identifier = result.string(row, 1),
                  let dateTime = try result.timestamp(row, 3), let objectID = try result.int64(row, 10) else { continue }
            let content = EventContent(
                identifier: identifier, eventType: result.string(row, 2) ?? "", dateTime: dateTime,
                detail: result.string(row, 4) ?? "", outcome: result.string(row, 5) ?? "",
                outcomeDetail: result.string(row, 6) ?? "", outcomeInformation: result.string(row, 7),
                object: result.string(row, 8) ?? "", agent: result.string(row, 9) ?? "")
            let event = NewEvent(content: content, objectID: objectID, objectIdentifier: result.string(row, 11) ?? "",
                                 fileID: try result.int64(row, 12), fileIdentifier: result.string(row, 13))
            stored[identifier] = Stored(id: id, event: event)
        }
        return stored
    }

    /// API-62: the content fields and the resolved parents, compared as UTF-8 bytes (DOM-5; Swift's
    /// `==` on String would treat canonically equivalent text as equal).
    static func matches(_ new: NewEvent, _ stored: NewEvent) -> Bool {
        func same(_ a: String?, _ b: String?) -> Bool {
            switch (a, b) {
            case (nil, nil): true
            case let (a?, b?): a.utf8.elementsEqual(b.utf8)
            default: false
            }
        }
        // The identifier is not compared: it is the key the stored event was found by.
        let a = new.content, b = stored.content
        return same(a.eventType, b.eventType) && a.dateTime == b.dateTime
            && same(a.detail, b.detail) && same(a.outcome, b.outcome)
            && same(a.outcomeDetail, b.outcomeDetail) && same(a.outcomeInformation, b.outcomeInformation)
            && same(a.object, b.object) && same(a.agent, b.agent)
            && new.objectID == stored.objectID && new.fileID == stored.fileID
    }

    static func matches(_ new: NewEvent, _ stored: Stored) -> Bool {
        matches(new, stored.event)
    }
}
