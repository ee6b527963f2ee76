import Postgres

/// The business action behind `POST /api/v2/events` (api-v2.md API-100, API-101): one transaction
/// that resolves the parents, appends the event to its institution's chain (or recognizes a replay,
/// API-60), applies the event's side effects (DOM-64, DOM-73, inside `EventStore`) and writes the
/// audit row (DOM-82).
public enum EventCreation {
    /// What the request achieved, with the response body.
    public struct Stored: Sendable {
        public let id: Int64
        public let replayed: Bool
        public let body: [UInt8]
    }

    /// How the caller shows the stored event: the statement reading it by id, and the response
    /// body made from that statement's result.
    public struct Reader: Sendable {
        public let query: @Sendable (Int64) -> PGQuery
        public let body: @Sendable (PGResult) throws -> [UInt8]

        public init(query: @escaping @Sendable (Int64) -> PGQuery, body: @escaping @Sendable (PGResult) throws -> [UInt8]) {
            self.query = query
            self.body = body
        }
    }

    /// Creates (or replays) the event of `input`. Throws `RegistryError.validation` with every field
    /// error (API-52) — including `{"identifier":["has already been taken"]}` for a conflicting
    /// replay — and rolls everything back.
    ///
    /// The stored event is read with `reader` after COMMIT, not inside the transaction: the
    /// transaction holds the institution's chain-head lock (AUD-45), which serializes every event
    /// write of the institution, so each statement moved out of it is throughput for all of them
    /// (`make bench-api`: POST event is bound by that lock). Events are immutable, so the row read
    /// after COMMIT is the one stored. For a new event the read leaves in the same round trip as
    /// the insert and its COMMIT (`PendingEventAppend.insertCommitting`).
    public static func create(_ input: EventInput, caller: Caller, origin: AuditOrigin, database: Database,
                              reader: Reader) throws -> Stored {
        // API-65: the same identifier inserted concurrently, after this attempt looked for replays
        // (EventStore.prepare looks before taking the chain-head lock), fails on the unique index;
        // re-running reads the winner and answers as a replay or a conflict.
        let outcome = try UniqueRace.retryingOnce {
            try attempt(input, caller: caller, origin: origin, database: database, reader: reader)
        }
        let body = try outcome.read.map(reader.body)
            ?? database.read { connection in try reader.body(connection.query(reader.query(outcome.id))) }
        return Stored(id: outcome.id, replayed: outcome.replayed, body: body)
    }

    private static func attempt(_ input: EventInput, caller: Caller, origin: AuditOrigin, database: Database,
                                reader: Reader) throws -> (id: Int64, replayed: Bool, read: PGResult?) {
        try database.transaction { connection in
            var errors = input.errors
            let parent = try EventParentResolver.resolve(input.parent, caller: caller, errors: &errors, on: connection)
            guard let content = input.content, let parent, errors.isEmpty else {
                throw RegistryError.validation(errors)
            }
            let event = NewEvent(content: content, objectID: parent.object.id, objectIdentifier: parent.object.identifier,
                                 fileID: parent.file?.id, fileIdentifier: parent.file?.identifier)
            var entry = AuditEntry(origin: origin, caller: caller, action: "event.create", resourceType: "premis_event",
                                   resourceIdentifier: content.identifier, institutionID: parent.object.institutionID,
                                   status: 201)
            // Performance: the replay lookup and the new event's audit row leave in one round trip;
            // the audit row goes in BEFORE the event (and before the chain-head lock), with the
            // event's id reserved from its sequence, and only when no event has the identifier.
            let identifier = content.identifier.lowercased()
            let looked = try connection.pipelined([
                EventReplay.query(identifiers: [identifier]),
                AuditLog.reservingEventIDQuery(entry, unlessEventExists: identifier),
            ])
            let pending = try EventStore.prepare([event], institutionID: parent.object.institutionID,
                                                 institutionIdentifier: parent.object.institutionIdentifier,
                                                 existing: EventReplay.stored(in: looked[0]), on: connection)
            switch pending.outcomes.first {
            case .replayed(let stored)?:
                // A replay takes no lock, and the statement above wrote no audit row for it.
                entry.resourceID = stored
                entry.details = AuditEntry.replayedDetails
                try AuditLog.appendAndCommit(entry, on: connection)
                return (stored, true, nil)
            case .created?:
                // The event appeared between the lookup and the audit statement (each has its own
                // snapshot), which then wrote nothing: run again, as a replay.
                guard looked[1].rowCount == 1, let id = try looked[1].int64(0, 0) else { throw UniqueRace.Lost() }
                // From the chain-head lock (AUD-45) to COMMIT only the event's statement remains,
                // with no client round trip; every event write of the institution waits for that
                // section in turn (`make bench-api`, POST event).
                let inserted = try pending.insertCommitting(reservedIDs: [id], thenRead: reader.query(id), on: connection)
                return (id, false, inserted.read)
            case .conflict?, nil:
                throw RegistryError.validation(FieldErrors("identifier", "has already been taken"))
            }
        }
    }
}
