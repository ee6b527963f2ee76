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

    /// Creates (or replays) the event of `input`. Throws `RegistryError.validation` with every field
    /// error (API-52) — including `{"identifier":["has already been taken"]}` for a conflicting
    /// replay — and rolls everything back.
    ///
    /// - Parameter render: writes the stored event's representation; runs right after COMMIT, not
    ///   inside the transaction: the transaction holds the institution's chain-head lock (AUD-45),
    ///   which serializes every event write of the institution, so each statement moved out of it is
    ///   throughput for all of them (`make bench-api`: POST event is bound by that lock, not by CPU).
    ///   Events are immutable, so the row read after COMMIT is the one stored. With the request's
    ///   lease (`Database.forOneRequest`) it runs on the same connection.
    public static func create(_ input: EventInput, caller: Caller, origin: AuditOrigin, database: Database,
                              render: (PGConnection, Int64) throws -> [UInt8]) throws -> Stored {
        // API-65: the same identifier inserted concurrently, after this attempt looked for replays
        // (EventStore.append looks before taking the chain-head lock), fails on the unique index;
        // re-running reads the winner and answers as a replay or a conflict.
        let outcome = try UniqueRace.retryingOnce {
            try attempt(input, caller: caller, origin: origin, database: database)
        }
        let body = try database.read { try render($0, outcome.id) }
        return Stored(id: outcome.id, replayed: outcome.replayed, body: body)
    }

    private static func attempt(_ input: EventInput, caller: Caller, origin: AuditOrigin,
                                database: Database) throws -> (id: Int64, replayed: Bool) {
        try database.transaction { connection in
            var errors = input.errors
            let parent = try EventParentResolver.resolve(input.parent, caller: caller, errors: &errors, on: connection)
            guard let content = input.content, let parent, errors.isEmpty else {
                throw RegistryError.validation(errors)
            }
            let event = NewEvent(content: content, objectID: parent.object.id, objectIdentifier: parent.object.identifier,
                                 fileID: parent.file?.id, fileIdentifier: parent.file?.identifier)
            let outcomes = try EventStore.append([event], institutionID: parent.object.institutionID,
                                                 institutionIdentifier: parent.object.institutionIdentifier, on: connection)
            let id: Int64
            let replayed: Bool
            switch outcomes.first {
            case .created(let created)?: (id, replayed) = (created, false)
            case .replayed(let stored)?: (id, replayed) = (stored, true)
            case .conflict?, nil: throw RegistryError.validation(FieldErrors("identifier", "has already been taken"))
            }
            let entry = AuditEntry(origin: origin, caller: caller, action: "event.create", resourceType: "premis_event",
                                   resourceID: id, resourceIdentifier: content.identifier,
                                   institutionID: parent.object.institutionID, status: 201,
                                   details: replayed ? AuditEntry.replayedDetails : nil)
            // With its COMMIT in one round trip: the chain-head lock taken by the append is held
            // until COMMIT, and every event write of the institution waits for it.
            try AuditLog.appendAndCommit(entry, on: connection)
            return (id, replayed)
        }
    }
}
