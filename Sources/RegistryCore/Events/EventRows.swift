import Formats
import Postgres

/// The column arrays of a multi-row event insert.
///
/// All events of a request go in with one statement, `INSERT … SELECT … FROM unnest($1, $2, …)`:
/// one fixed SQL text (prepared once per connection, whatever the row count) and one round trip —
/// a create_batch of 100 files carries 600 events, and 600 single-row inserts would cost 600 round
/// trips inside the transaction that holds the institution's chain lock.
struct EventRows {
    private(set) var events: [NewEvent] = []
    private var identifiers: [String] = []
    private var eventTypes: [String] = []
    private var dateTimes: [String] = []
    private var outcomes: [String] = []
    private var details: [String] = []
    private var outcomeDetails: [String] = []
    private var outcomeInformation: [String?] = []
    private var objects: [String] = []
    private var agents: [String] = []
    private var objectIDs: [Int64] = []
    private var objectIdentifiers: [String] = []
    private var fileIDs: [Int64?] = []
    private var fileIdentifiers: [String?] = []
    private var sequences: [Int64] = []
    private var entryHashes: [String] = []
    private var chainHashes: [String] = []

    var isEmpty: Bool { events.isEmpty }

    mutating func add(_ event: NewEvent, sequence: Int64, entryHash: [UInt8], chainHash: [UInt8]) {
        events.append(event)
        identifiers.append(event.content.identifier)
        eventTypes.append(event.content.eventType)
        dateTimes.append(event.content.dateTime.postgresLiteral)
        outcomes.append(event.content.outcome)
        details.append(event.content.detail)
        outcomeDetails.append(event.content.outcomeDetail)
        outcomeInformation.append(event.content.outcomeInformation)
        objects.append(event.content.object)
        agents.append(event.content.agent)
        objectIDs.append(event.objectID)
        objectIdentifiers.append(event.objectIdentifier)
        fileIDs.append(event.fileID)
        fileIdentifiers.append(event.fileIdentifier)
        sequences.append(sequence)
        entryHashes.append(Hex.encode(entryHash))
        chainHashes.append(Hex.encode(chainHash))
    }

    /// Inserts every row and moves the institution's chain head to `head` (AUD-45), in one
    /// statement; returns the rows' ids in the order added.
    ///
    /// One statement rather than an INSERT and an UPDATE: the caller holds the chain-head lock,
    /// which serializes every event write of the institution until COMMIT, so each round trip saved
    /// here is throughput for all of them (`make bench-api`: POST event is bound by that lock, not
    /// by CPU). The head row is already locked by this transaction, so the UPDATE never waits.
    func insert(institutionID: Int64, createdAt: Timestamp, head: (sequence: Int64, chainHash: [UInt8]),
                on connection: PGConnection) throws -> [Int64] {
        let result = try connection.query("""
            WITH inserted AS (
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail,
                outcome_information, object, agent, intellectual_object_id, intellectual_object_identifier,
                generic_file_id, generic_file_identifier, institution_id, sequence, entry_hash, chain_hash, created_at)
            SELECT u.identifier::uuid, u.event_type, u.date_time, u.outcome, u.detail, u.outcome_detail,
                u.outcome_information, u.object, u.agent, u.object_id, u.object_identifier,
                u.file_id, u.file_identifier, \(institutionID), u.sequence, decode(u.entry_hash, 'hex'),
                decode(u.chain_hash, 'hex'), \(createdAt)
            FROM unnest(\(identifiers)::text[], \(eventTypes)::text[], \(dateTimes)::timestamptz[], \(outcomes)::text[],
                        \(details)::text[], \(outcomeDetails)::text[], \(outcomeInformation)::text[], \(objects)::text[],
                        \(agents)::text[], \(objectIDs)::bigint[], \(objectIdentifiers)::text[], \(fileIDs)::bigint[],
                        \(fileIdentifiers)::text[], \(sequences)::bigint[], \(entryHashes)::text[], \(chainHashes)::text[])
                 AS u(identifier, event_type, date_time, outcome, detail, outcome_detail, outcome_information, object,
                      agent, object_id, object_identifier, file_id, file_identifier, sequence, entry_hash, chain_hash)
            ORDER BY u.sequence
            RETURNING id, sequence
            ), moved_head AS (
            UPDATE event_chain_heads SET sequence = \(head.sequence), chain_hash = \(head.chainHash), updated_at = now()
            WHERE institution_id = \(institutionID)
            )
            SELECT id, sequence FROM inserted
            """)
        var idBySequence: [Int64: Int64] = [:]
        for row in 0..<result.rowCount {
            if let id = try result.int64(row, 0), let sequence = try result.int64(row, 1) { idBySequence[sequence] = id }
        }
        return sequences.map { idBySequence[$0] ?? 0 }
    }
}
