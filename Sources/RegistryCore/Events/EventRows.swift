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
    /// AUD-40 canonical text of each event up to `"sequence":` (see `insert`).
    private var canonicalPrefixes: [String] = []

    var isEmpty: Bool { events.isEmpty }
    var count: Int { events.count }

    mutating func add(_ event: NewEvent, canonicalPrefix: [UInt8]) {
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
        canonicalPrefixes.append(String(decoding: canonicalPrefix, as: UTF8.self))
    }

    /// The statement that appends every row to the institution's chain and applies the events' side
    /// effects, in ONE statement; it returns the rows' ids (`insertedIDs`).
    ///
    /// Performance: the chain head lock (`FOR UPDATE`, held until COMMIT, AUD-45) serializes every
    /// event write of the institution; everything between the lock and COMMIT is paid by each
    /// writer in turn. So nothing after the lock waits for this process: PostgreSQL assigns the
    /// sequences, finishes the AUD-40 canonical texts (the Swift side sends each text up to
    /// `"sequence":`, the last member, and the statement appends the decimal sequence and `}`),
    /// computes `entry_hash` and folds `chain_hash` (AUD-43, `sha256`), inserts, moves the head,
    /// and applies DOM-73 and DOM-64. With the hashes computed in Swift this
    /// took three more round trips under the lock (`make bench-api`: POST event at 32 connections is
    /// bound by this lock, not by CPU). `registry audit verify` and the AUD-46 concurrency test
    /// recompute every hash in Swift, so the two implementations are checked against each other.
    ///
    /// `entry_hashes` is MATERIALIZED on purpose: referenced once, PostgreSQL would inline it into
    /// the recursive fold and aggregate all entry hashes again at every step (EXPLAIN ANALYZE, 600
    /// events of a create_batch: 84 ms instead of 2 ms).
    ///
    /// Side effects, from the RETURNING rows: DOM-73, a `fixity check` event on a file moves its
    /// `last_fixity_check` to the event's `date_time`, whatever the outcome, never backwards ([Fix]
    /// monotonic); a file whose value moves is an updated file (DOM-7), one whose value stays is not
    /// written at all, and `greatest` keeps a file created earlier in this transaction (create_batch)
    /// from getting an `updated_at` before its `created_at` when the creator bound a clock time later
    /// than now(). DOM-64, a successful `replication` event whose outcome_detail is a URL records a
    /// replica storage record.
    ///
    /// `head_locked`: no head row locked means nothing is inserted. With COMMIT pipelined behind the
    /// statement (`PendingEventAppend.insertCommitting`), an empty answer would commit the caller's earlier writes without
    /// their events, so the statement fails instead (an input error carrying the reason: the only
    /// way plain SQL raises one) and the pipelined COMMIT is not run. The failing cast sits in a
    /// CASE in the WHERE clause and reads `h.locked`: an EXISTS drops its subquery's select list,
    /// the CASE fixes the evaluation order, and the column keeps the planner from folding the cast
    /// (which would fail every statement).
    ///
    /// Concurrency: run alone, the statement's snapshot would be taken before the lock is granted;
    /// `FOR UPDATE` would then return the head as the previous writer committed it through
    /// PostgreSQL's READ COMMITTED re-check (EvalPlanQual), which re-initializes every CTE of the
    /// statement, under the lock, and again for a file row the previous writer's DOM-73 update
    /// moved. So `lock` takes the lock first, in a statement of its own sent in the same round trip
    /// (`PGConnection.pipelined`): this statement then starts after the lock is held, its snapshot
    /// sees the head and files as last committed, and its own `FOR UPDATE` finds the row already
    /// locked by this transaction (measured with perf at 32 writers: the re-checks were a tenth of
    /// PostgreSQL's CPU).
    ///
    /// `reservedIDs` (one per row, in order) are ids already taken from the events' identity
    /// sequence, for a caller that wrote rows referring to the event before taking the lock
    /// (`EventCreation`'s audit row); rows without one are numbered at insert, in sequence order
    /// (the ORDER BY sits in the subquery, below `nextval`).
    func insertQuery(institutionID: Int64, createdAt: Timestamp, reservedIDs: [Int64]? = nil) -> PGQuery {
        let reserved: [Int64?] = reservedIDs ?? Array(repeating: nil, count: events.count)
        precondition(reserved.count == events.count, "one reserved id per event")
        return """
            WITH RECURSIVE head AS (
            SELECT sequence, chain_hash, set_config('registry.chain_institution', \(String(institutionID)), true)
            FROM event_chain_heads
            WHERE institution_id = \(institutionID)
              AND coalesce(nullif(current_setting('registry.chain_institution', true), ''), \(String(institutionID)))
                  = \(String(institutionID))
            FOR UPDATE
            ), entries AS (
            SELECT u.*, h.sequence + u.position AS sequence,
                   sha256(convert_to(u.canonical_prefix || (h.sequence + u.position)::text || '}', 'UTF8')) AS entry_hash
            FROM head h,
                 unnest(\(identifiers)::text[], \(eventTypes)::text[], \(dateTimes)::timestamptz[], \(outcomes)::text[],
                        \(details)::text[], \(outcomeDetails)::text[], \(outcomeInformation)::text[], \(objects)::text[],
                        \(agents)::text[], \(objectIDs)::bigint[], \(objectIdentifiers)::text[], \(fileIDs)::bigint[],
                        \(fileIdentifiers)::text[], \(canonicalPrefixes)::text[], \(reserved)::bigint[]) WITH ORDINALITY
                 AS u(identifier, event_type, date_time, outcome, detail, outcome_detail, outcome_information, object,
                      agent, object_id, object_identifier, file_id, file_identifier, canonical_prefix, reserved_id,
                      position)
            ), entry_hashes AS MATERIALIZED (
            SELECT array_agg(entry_hash ORDER BY position) AS hashes, count(*) AS total FROM entries
            ), chain (position, chain_hash) AS (
            SELECT 0::bigint, h.chain_hash FROM head h
            UNION ALL
            SELECT c.position + 1, sha256(c.chain_hash || e.hashes[c.position + 1])
            FROM chain c, entry_hashes e WHERE c.position < e.total
            ), inserted AS (
            INSERT INTO premis_events (id, identifier, event_type, date_time, outcome, detail, outcome_detail,
                outcome_information, object, agent, intellectual_object_id, intellectual_object_identifier,
                generic_file_id, generic_file_identifier, institution_id, sequence, entry_hash, chain_hash, created_at)
            OVERRIDING SYSTEM VALUE
            SELECT coalesce(e.reserved_id, \(unescaped: Self.idSequenceNext)), e.identifier::uuid, e.event_type,
                e.date_time, e.outcome, e.detail, e.outcome_detail, e.outcome_information, e.object, e.agent,
                e.object_id, e.object_identifier, e.file_id, e.file_identifier, \(institutionID), e.sequence,
                e.entry_hash, e.chain_hash, \(createdAt)
            FROM (SELECT entries.*, c.chain_hash FROM entries JOIN chain c ON c.position = entries.position
                  ORDER BY entries.sequence) e
            RETURNING id, sequence, chain_hash, generic_file_id, event_type, outcome, outcome_detail, date_time
            ), moved_head AS (
            UPDATE event_chain_heads h SET sequence = last.sequence, chain_hash = last.chain_hash, updated_at = now()
            FROM (SELECT sequence, chain_hash FROM inserted ORDER BY sequence DESC LIMIT 1) last
            WHERE h.institution_id = \(institutionID)
            ), fixity_checks AS (
            UPDATE generic_files f SET last_fixity_check = checked.at, updated_at = greatest(f.updated_at, now())
            FROM (SELECT generic_file_id AS id, max(date_time) AS at FROM inserted
                  WHERE event_type = 'fixity check' AND generic_file_id IS NOT NULL GROUP BY generic_file_id) checked
            WHERE f.id = checked.id AND checked.at > f.last_fixity_check
            ), replicas AS (
            INSERT INTO storage_records (generic_file_id, url, kind, source_event_id)
            SELECT generic_file_id, outcome_detail, 'replica', id FROM inserted
            WHERE event_type = 'replication' AND outcome = 'Success' AND strpos(outcome_detail, '://') > 0
              AND generic_file_id IS NOT NULL
            ORDER BY sequence
            ON CONFLICT (generic_file_id, url) DO NOTHING
            ), head_locked AS (
            SELECT 1 FROM (SELECT count(*) AS locked FROM head) h
            WHERE CASE WHEN h.locked = 0
                       THEN ('AUD-45: no chain head of institution ' || \(String(institutionID)) || ' could be locked (' || h.locked
                             || ' rows), or this transaction already appended to another institution''s chain')::uuid IS NOT NULL
                       ELSE false END
            )
            SELECT id FROM inserted WHERE NOT EXISTS (SELECT 1 FROM head_locked) ORDER BY sequence
            """
    }

    /// The ids `insertQuery` returned, in the order the rows were added; nil when it inserted
    /// fewer rows than added.
    func insertedIDs(_ result: PGResult) throws -> [Int64]? {
        guard result.rowCount == events.count else { return nil }
        return try (0..<result.rowCount).map { row in try result.int64(row, 0) ?? 0 }
    }

    /// The next id of `premis_events` (its identity sequence, named by PostgreSQL after the table
    /// and column): taken at insert, or beforehand by `AuditLog.reservingEventIDQuery`.
    static let idSequenceNext: StaticString = "nextval('premis_events_id_seq')"

    /// Locks the institution's chain head (AUD-45), sent just before `insertQuery` (see there).
    /// With the AUD-45 guard of `insertQuery`: a transaction that appended to another institution's
    /// chain locks nothing here, and `insertQuery` then fails.
    static func lockQuery(institutionID: Int64) -> PGQuery {
        """
        SELECT 1 FROM event_chain_heads
        WHERE institution_id = \(institutionID)
          AND coalesce(nullif(current_setting('registry.chain_institution', true), ''), \(String(institutionID)))
              = \(String(institutionID))
        FOR UPDATE
        """
    }
}
