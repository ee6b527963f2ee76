import Formats
import Postgres

/// What storing an event changes besides the chain, in the same transaction.
enum EventSideEffects {
    static func apply(rows: EventRows, ids: [Int64], on connection: PGConnection) throws {
        try advanceFixityChecks(rows.events, on: connection)
        try recordReplicas(rows.events, ids: ids, on: connection)
    }

    /// DOM-73: a `fixity check` event on a file moves `last_fixity_check` to its `date_time`,
    /// whatever the outcome, never backwards ([Fix] monotonic). A file whose value moves is an
    /// updated file (DOM-7: `updated_at`); one whose value stays is not written at all. `greatest`
    /// keeps a file created earlier in this same transaction (create_batch) from getting an
    /// `updated_at` before its `created_at` when the creator bound a clock time later than now().
    private static func advanceFixityChecks(_ events: [NewEvent], on connection: PGConnection) throws {
        var latest: [Int64: Timestamp] = [:]
        for event in events where event.content.eventType == "fixity check" {
            guard let fileID = event.fileID else { continue }
            latest[fileID] = max(latest[fileID] ?? event.content.dateTime, event.content.dateTime)
        }
        guard !latest.isEmpty else { return }
        let fileIDs = latest.keys.sorted()  // a fixed row order: deterministic locking
        let times = fileIDs.map { latest[$0]!.postgresLiteral }
        _ = try connection.query("""
            UPDATE generic_files f SET last_fixity_check = u.checked, updated_at = greatest(f.updated_at, now())
            FROM unnest(\(fileIDs)::bigint[], \(times)::timestamptz[]) AS u(id, checked)
            WHERE f.id = u.id AND u.checked > f.last_fixity_check
            """)
    }

    /// DOM-64: a successful `replication` event whose outcome_detail is a URL records a replica.
    private static func recordReplicas(_ events: [NewEvent], ids: [Int64], on connection: PGConnection) throws {
        var fileIDs: [Int64] = []
        var urls: [String] = []
        var eventIDs: [Int64] = []
        for (index, event) in events.enumerated()
        where event.content.eventType == "replication" && event.content.outcome == "Success"
            && event.content.outcomeDetail.contains("://") {
            guard let fileID = event.fileID else { continue }
            fileIDs.append(fileID)
            urls.append(event.content.outcomeDetail)
            eventIDs.append(ids[index])
        }
        guard !fileIDs.isEmpty else { return }
        _ = try connection.query("""
            INSERT INTO storage_records (generic_file_id, url, kind, source_event_id)
            SELECT u.file_id, u.url, 'replica', u.event_id
            FROM unnest(\(fileIDs)::bigint[], \(urls)::text[], \(eventIDs)::bigint[]) AS u(file_id, url, event_id)
            ON CONFLICT (generic_file_id, url) DO NOTHING
            """)
    }
}
