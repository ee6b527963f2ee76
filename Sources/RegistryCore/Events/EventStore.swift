import Formats
import Postgres

/// Appends PREMIS events to their institution's hash chain (auditor.md AUD-43..47), with the side
/// effects an event has on its file (DOM-64, DOM-73), in one statement (`EventRows.insert`). Runs
/// inside the caller's transaction, so the events, the head, the side effects and the caller's
/// audit row commit together.
public enum EventStore {
    /// Appends `events` (all of one institution, in request order) and returns one outcome per event.
    ///
    /// Existing identifiers are looked up first and compared field by field (API-62); nothing is
    /// inserted for them. Then the chain head row is locked (`FOR UPDATE`, held until commit, AUD-45),
    /// which serializes every append of the institution.
    ///
    /// The lookup comes BEFORE the lock on purpose: everything between the lock and COMMIT is paid
    /// by every writer of the institution in turn (`make bench-api`: POST event is bound by that
    /// serialized section, not by CPU), and a replay — the common retry of a worker — then needs no
    /// lock at all. Two identical POSTs racing each other both miss in the lookup; the second to get
    /// the lock inserts after the first committed and fails on the unique identifier index, and its
    /// caller re-runs the transaction once (`EventCreation`, `UniqueRace`), which then finds the
    /// winner and answers as a replay (API-65). The failed attempt rolls back, so the chain keeps no
    /// gap (AUD-46). Callers that took the head lock earlier (file writes) see the same as before.
    ///
    /// Throws on a conflict-free database error only; conflicts are reported as `.conflict` so the
    /// caller can report every field error at once, and must then roll back.
    ///
    /// The transaction must be READ COMMITTED (the default), so that each statement sees what was
    /// committed before it. One transaction appends to one institution's chain only (AUD-45).
    public static func append(_ events: [NewEvent], institutionID: Int64, institutionIdentifier: String,
                              on connection: PGConnection) throws -> [EventOutcome] {
        try prepare(events, institutionID: institutionID, institutionIdentifier: institutionIdentifier, on: connection)
            .insert(on: connection)
    }

    /// The first half of `append`, before the lock: the replay lookup and the rows to insert. A
    /// caller that must write something referring to the new events before the lock is taken
    /// (`EventCreation`'s audit row) calls this, writes, then `PendingEventAppend.insert`.
    /// `existing`: the stored events among the identifiers (lower case), when the caller already
    /// ran the lookup (`EventReplay.query`, pipelined with its own statements).
    static func prepare(_ events: [NewEvent], institutionID: Int64, institutionIdentifier: String,
                        existing: [String: EventReplay.Stored]? = nil,
                        on connection: PGConnection) throws -> PendingEventAppend {
        // AUD-41/44: the hashed identifier must be the stored one, and PostgreSQL's uuid output is
        // lower case; an upper-case input would otherwise hash one text and store another (and miss
        // its own replay below).
        let events = events.map { event -> NewEvent in
            var event = event
            event.content.identifier = event.content.identifier.lowercased()
            return event
        }
        var outcomes: [EventOutcome] = []
        outcomes.reserveCapacity(events.count)
        var rows = EventRows()
        guard !events.isEmpty else {
            return PendingEventAppend(events: events, outcomes: outcomes, rows: rows, institutionID: institutionID,
                                      createdAt: Timestamp.now())
        }
        let existing = try existing ?? EventReplay.existing(identifiers: events.map(\.content.identifier), on: connection)
        var seenInRequest: [String: NewEvent] = [:]
        let createdAt = Timestamp.now()
        for event in events {
            if let stored = existing[event.content.identifier] {
                outcomes.append(EventReplay.matches(event, stored) ? .replayed(id: stored.id) : .conflict)
                continue
            }
            if let earlier = seenInRequest[event.content.identifier] {
                // The same identifier twice in one request: the second is a replay of the first.
                outcomes.append(EventReplay.matches(event, earlier) ? .replayed(id: 0) : .conflict)
                continue
            }
            seenInRequest[event.content.identifier] = event
            let content = event.content
            // The sequence is assigned under the chain-head lock, inside `EventRows.insert`.
            let canonical = CanonicalEvent(
                agent: content.agent, createdAt: createdAt, dateTime: content.dateTime, detail: content.detail,
                eventType: content.eventType, genericFileIdentifier: event.fileIdentifier, identifier: content.identifier,
                institution: institutionIdentifier, intellectualObjectIdentifier: event.objectIdentifier,
                object: content.object, outcome: content.outcome, outcomeDetail: content.outcomeDetail,
                outcomeInformation: content.outcomeInformation, sequence: 0)
            rows.add(event, canonicalPrefix: canonical.serializedBeforeSequence)
            outcomes.append(.created(id: 0))
        }
        return PendingEventAppend(events: events, outcomes: outcomes, rows: rows, institutionID: institutionID,
                                  createdAt: createdAt)
    }
}

/// Events looked up and ready to be appended (`EventStore.prepare`); nothing is locked yet.
public struct PendingEventAppend {
    fileprivate let events: [NewEvent]
    /// One per event: `.created(id: 0)` for each event still to be inserted (the id comes with
    /// `insert`), `.replayed` (id 0 for a repeat of an earlier event of the same request) or
    /// `.conflict`.
    public let outcomes: [EventOutcome]
    fileprivate let rows: EventRows
    fileprivate let institutionID: Int64
    fileprivate let createdAt: Timestamp

    /// Whether `insert` will take the chain-head lock: some event is new and none conflicts.
    public var insertsEvents: Bool { !rows.isEmpty && !outcomes.contains(.conflict) }

    /// Takes the chain-head lock and inserts the new events (when `insertsEvents`); returns the
    /// outcomes with their ids. The lock and the insert leave in one round trip
    /// (`EventRows.lockQuery` says why they are two statements).
    public func insert(on connection: PGConnection) throws -> [EventOutcome] {
        guard insertsEvents else { return outcomes }
        let results = try Self.mappingIndexOverflow { () throws(PGError) in
            try connection.pipelined([
                EventRows.lockQuery(institutionID: institutionID),
                rows.insertQuery(institutionID: institutionID, createdAt: createdAt),
            ])
        }
        return try outcomes(inserted: results[1])
    }

    /// `insert` as the end of the transaction, for new events whose ids were taken beforehand
    /// (`reservedIDs`, one per new event, in order): the lock, the insert, COMMIT and then `read`
    /// (outside the transaction, so after the lock is released) leave in ONE round trip. Returns
    /// the outcomes and `read`'s result, nil when the read failed (the events are committed: the
    /// caller reads again). Requires `insertsEvents`.
    ///
    /// Performance: from the chain-head lock to COMMIT no client round trip remains; the
    /// institution's writers pay that section one after the other (AUD-45).
    public func insertCommitting(reservedIDs: [Int64], thenRead read: PGQuery,
                                 on connection: PGConnection) throws -> (outcomes: [EventOutcome], read: PGResult?) {
        guard insertsEvents else {
            throw PGError(kind: .other, message: "insertCommitting without events to insert")
        }
        let done = try Self.mappingIndexOverflow { () throws(PGError) in
            try connection.pipelinedCommit([
                EventRows.lockQuery(institutionID: institutionID),
                rows.insertQuery(institutionID: institutionID, createdAt: createdAt, reservedIDs: reservedIDs),
            ], thenRead: read)
        }
        return (try outcomes(inserted: done.results[1]), done.read)
    }

    /// DOM-64 stores a successful replication's `outcome_detail` as a replica URL, whose unique
    /// index holds about 2.7 kB (README, "Long identifiers"); the event statement's only index entry
    /// that can overflow (SQLSTATE 54000). That is the client's value being too long: a 422 on the
    /// field, and the transaction rolls back, not a 500.
    private static func mappingIndexOverflow<T>(_ body: () throws(PGError) -> T) throws -> T {
        do {
            return try body()
        } catch {
            if error.sqlState == "54000" { throw RegistryError.validation(FieldErrors("outcome_detail", "is too long")) }
            throw error
        }
    }

    /// The outcomes with the ids of the created events (and of in-request replays of them).
    private func outcomes(inserted result: PGResult) throws -> [EventOutcome] {
        // AUD-45 guard, at no extra round trip: the transaction remembers (in a transaction-local
        // setting) the one chain it appends to. A second institution's head is then not even read,
        // let alone locked — two transactions locking two heads in opposite orders would deadlock.
        guard let ids = try rows.insertedIDs(result) else {
            throw PGError(kind: .other, message: "no chain head for institution \(institutionID), or this transaction "
                          + "already appended to another institution's chain (AUD-45)")
        }
        var outcomes = outcomes
        var index = 0
        var idByIdentifier: [String: Int64] = [:]
        for (position, outcome) in outcomes.enumerated() where outcome == .created(id: 0) {
            outcomes[position] = .created(id: ids[index])
            idByIdentifier[events[position].content.identifier] = ids[index]
            index += 1
        }
        for (position, outcome) in outcomes.enumerated() where outcome == .replayed(id: 0) {
            outcomes[position] = .replayed(id: idByIdentifier[events[position].content.identifier] ?? 0)
        }
        return outcomes
    }
}
