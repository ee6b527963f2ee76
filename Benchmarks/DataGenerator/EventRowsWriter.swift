import Formats
import Postgres
import RegistryCore

/// The PREMIS events of the ingested objects, with VALID hash chains (auditor.md AUD-40..45): each
/// institution's events get sequences 1, 2, … in ingest order, and each row's `entry_hash` and
/// `chain_hash` are computed with the product's own `CanonicalEvent` and `ChainHash`, so
/// `registry audit verify` accepts the dataset.
struct EventRowsWriter {
    let institutionIDs: [Int64]

    static let agent = "https://github.com/APTrust/preservation-services"

    /// The head of each institution's chain after the load, by plan index.
    struct ChainHead {
        var sequence: Int64 = 0
        var chainHash = ChainHash.genesis
    }

    /// One event as the canonical serialization and the row need it.
    private struct Event {
        let identifier: String
        let eventType: String
        let dateTime: Timestamp
        let detail: String
        let outcomeDetail: String
        let outcomeInformation: String?
        let object: String
        let fileID: Int64?
        let fileIdentifier: String?
        /// When the registry stored it: object events one POST each, file events all at the
        /// moment of the create_batch that carried them (one `created_at` per request, as EventStore).
        let createdAt: Timestamp
    }

    func copyEvents(on connection: PGConnection) throws -> (rows: Int, heads: [ChainHead]) {
        var heads = [ChainHead](repeating: ChainHead(), count: DatasetPlan.institutions.count)
        let rows = try CopyRowBuffer.copy("premis_events", [
            "id", "identifier", "event_type", "date_time", "outcome", "detail", "outcome_detail", "outcome_information",
            "object", "agent", "intellectual_object_id", "intellectual_object_identifier", "generic_file_id",
            "generic_file_identifier", "institution_id", "sequence", "entry_hash", "chain_hash", "created_at",
        ], on: connection) { rows in
            var nextID: Int64 = 1
            for index in 0..<DatasetPlan.ingestedObjects {
                let object = ObjectShape(index)
                for event in events(of: object) {
                    try write(event, id: nextID, object: object, head: &heads[object.institutionIndex], into: &rows)
                    nextID += 1
                }
            }
        }
        return (rows, heads)
    }

    private func write(_ event: Event, id: Int64, object: ObjectShape, head: inout ChainHead,
                       into rows: inout CopyRowBuffer) throws {
        let createdAt = event.createdAt
        head.sequence += 1
        let canonical = CanonicalEvent(
            agent: Self.agent, createdAt: createdAt, dateTime: event.dateTime, detail: event.detail,
            eventType: event.eventType, genericFileIdentifier: event.fileIdentifier, identifier: event.identifier,
            institution: object.institution, intellectualObjectIdentifier: object.identifier, object: event.object,
            outcome: "Success", outcomeDetail: event.outcomeDetail, outcomeInformation: event.outcomeInformation,
            sequence: head.sequence)
        let entryHash = canonical.entryHash
        head.chainHash = ChainHash.next(previous: head.chainHash, entry: entryHash)
        rows.int(id)
        rows.text(event.identifier)
        rows.text(event.eventType)
        rows.timestamp(event.dateTime)
        rows.text("Success")
        rows.text(event.detail)
        rows.text(event.outcomeDetail)
        rows.optionalText(event.outcomeInformation)
        rows.text(event.object)
        rows.text(Self.agent)
        rows.int(object.id)
        rows.text(object.identifier)
        if let fileID = event.fileID { rows.int(fileID) } else { rows.null() }
        rows.optionalText(event.fileIdentifier)
        rows.int(institutionIDs[object.institutionIndex])
        rows.int(head.sequence)
        rows.bytea(entryHash)
        rows.bytea(head.chainHash)
        rows.timestamp(createdAt)
        try rows.endRow()
    }

    /// In id order: ingestion and access assignment of the object, then per file its fixity check,
    /// identifier assignment and replication (the order `ObjectAndFileRows` relies on for the
    /// replica storage records' `source_event_id`).
    private func events(of object: ObjectShape) -> [Event] {
        let objectEventIDs = object.objectEventIdentifiers
        let objectTime = EventTimes.objectEvents(object)
        var events = [
            Event(identifier: objectEventIDs[0], eventType: "ingestion", dateTime: objectTime,
                  detail: "Completed copy to preservation storage", outcomeDetail: "\(object.fileCount) files copied",
                  outcomeInformation: "Multipart put using md5 checksum", object: "APTrust preservation services",
                  fileID: nil, fileIdentifier: nil, createdAt: object.at(seconds: 2)),
            Event(identifier: objectEventIDs[1], eventType: "access assignment", dateTime: objectTime,
                  detail: "Assigned bag access rights", outcomeDetail: object.access,
                  outcomeInformation: "Set access to \(object.access)", object: "APTrust preservation services",
                  fileID: nil, fileIdentifier: nil, createdAt: object.at(seconds: 2, micros: 30_000)),
        ]
        let batchStored = EventTimes.fileRecorded(object)
        let firstFileID = FileIDs.first(ofObject: object.index)
        for position in 0..<object.fileCount {
            let file = object.file(position, firstFileID: firstFileID)
            events.append(Event(identifier: file.eventIdentifiers[0], eventType: "fixity check",
                                dateTime: EventTimes.fixityCheck(object), detail: "Fixity check against registered hash",
                                outcomeDetail: "sha256:" + file.sha256, outcomeInformation: "Fixity matches",
                                object: "Go language crypto/sha256", fileID: file.id, fileIdentifier: file.identifier,
                                createdAt: batchStored))
            events.append(Event(identifier: file.eventIdentifiers[1], eventType: "identifier assignment",
                                dateTime: object.at(seconds: 6), detail: "Assigned new institution.bag/path identifier",
                                outcomeDetail: file.identifier, outcomeInformation: nil,
                                object: "APTrust preservation services", fileID: file.id, fileIdentifier: file.identifier,
                                createdAt: batchStored))
            events.append(Event(identifier: file.eventIdentifiers[2], eventType: "replication",
                                dateTime: object.at(seconds: 8),
                                detail: "Copied to replication storage and assigned replication URL identifier",
                                outcomeDetail: file.replicaURL, outcomeInformation: "Replicated to Oregon",
                                object: "Go uploader", fileID: file.id, fileIdentifier: file.identifier,
                                createdAt: batchStored))
        }
        return events
    }
}
