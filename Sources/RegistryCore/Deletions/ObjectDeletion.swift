import CryptoSupport
import Formats
import Postgres

/// Setting objects to `D` the way DOM-125 prescribes, inside a transaction that already holds the
/// institution's chain head and the objects' rows (lock order: chain head → objects → files →
/// requests): each object without an object-level `deletion` event after its latest object-level
/// `ingestion` event first gets one written by the server, through `EventStore.append` (the only
/// way events are stored). Used by object finish_delete and by a confirmation whose objects have no
/// active file left (DOM-122).
enum ObjectDeletion {
    /// The event the server writes for each finished object.
    static let eventType = "deletion"
    static let eventOutcome = "Success"

    /// Who asked and who approved, for the event's `outcome_detail` and `outcome_information`.
    struct Approvals: Sendable {
        let requester: String
        let institutionalApprover: String?
        /// Bulk requests only.
        let aptrustApprover: String?

        init(requester: String, institutionalApprover: String?, aptrustApprover: String?) {
            self.requester = requester
            self.institutionalApprover = institutionalApprover
            self.aptrustApprover = aptrustApprover
        }

        init(_ request: DeletionRequestRecord) {
            self.init(requester: request.requesterEmail, institutionalApprover: request.instApproverEmail,
                      aptrustApprover: request.kind == "bulk" ? request.aptrustApproverEmail : nil)
        }

        /// "Object deleted at the request of R. Institutional approver: I." (+ " APTrust approver: A.").
        var outcomeInformation: String {
            var text = "Object deleted at the request of \(requester). Institutional approver: \(institutionalApprover ?? "none")."
            if let aptrustApprover { text += " APTrust approver: \(aptrustApprover)." }
            return text
        }
    }

    /// Writes the missing object `deletion` events (one chain append for all of them) and sets every
    /// object of `objectIDs` (all of `institution`, all active, none with an active file) to `D`.
    /// Returns how many events it wrote, for the caller to count once the transaction commits.
    static func finish(objectIDs: [Int64], institutionID: Int64, institutionIdentifier: String, approvals: Approvals,
                       serverAgent: String, on connection: PGConnection) throws -> Int {
        guard !objectIDs.isEmpty else { return 0 }
        // Latest object-level ingestion and deletion per object, in one pass over the objects'
        // events (premis_events_object_date_time_idx). DOM-125 names any object-level `deletion`
        // event, whatever its outcome (DOM-124's file rule is the one that requires `Success`).
        let history = try connection.query("""
            SELECT o.id, o.identifier,
                   max(e.date_time) FILTER (WHERE e.event_type = 'ingestion'),
                   max(e.date_time) FILTER (WHERE e.event_type = 'deletion')
            FROM intellectual_objects o
            LEFT JOIN premis_events e ON e.intellectual_object_id = o.id AND e.generic_file_id IS NULL
            WHERE o.id = ANY(\(objectIDs)::int8[])
            GROUP BY o.id, o.identifier
            ORDER BY o.identifier
            """)
        let now = Timestamp.now()
        var events: [NewEvent] = []
        for row in 0..<history.rowCount {
            guard let objectID = try history.int64(row, 0), let identifier = history.string(row, 1) else { continue }
            let ingested = try history.timestamp(row, 2)
            let deleted = try history.timestamp(row, 3)
            if let deleted, ingested.map({ deleted > $0 }) ?? true { continue }
            let content = EventContent(
                identifier: SecureRandom.uuidV4(), eventType: eventType, dateTime: now,
                detail: "Object deleted from preservation storage", outcome: eventOutcome,
                outcomeDetail: approvals.requester, outcomeInformation: approvals.outcomeInformation,
                object: "registry", agent: serverAgent)
            events.append(NewEvent(content: content, objectID: objectID, objectIdentifier: identifier,
                                   fileID: nil, fileIdentifier: nil))
        }
        let outcomes = try EventStore.append(events, institutionID: institutionID,
                                             institutionIdentifier: institutionIdentifier, on: connection)
        guard !outcomes.contains(.conflict) else {
            throw PGError(kind: .other, message: "a fresh random event identifier conflicted")
        }
        _ = try connection.query("""
            UPDATE intellectual_objects SET state = 'D', updated_at = now() WHERE id = ANY(\(objectIDs)::int8[])
            """)
        return events.count
    }

    /// The approvals to name in the event of an object finished without an approved request listing
    /// it (DOM-125 (a): every file deleted): those of the newest approved or completed request that
    /// listed one of its files.
    static func approvalsFromFiles(objectID: Int64, on connection: PGConnection) throws -> DeletionRequestRecord? {
        let result = try connection.query("""
            SELECT d.id FROM deletion_requests d
            WHERE d.status IN ('approved', 'completed')
              AND d.id IN (SELECT y.deletion_request_id FROM deletion_request_files y
                           JOIN generic_files f ON f.id = y.generic_file_id WHERE f.intellectual_object_id = \(objectID))
            ORDER BY d.id DESC LIMIT 1
            """)
        guard result.rowCount == 1, let id = try result.int64(0, 0) else { return nil }
        return try DeletionRequestRecord.load(id: id, on: connection)
    }
}
