import Formats
import Postgres

/// Appends the events nested in written files with ONE `EventStore.append` call, in request order
/// (files in array order, each file's events in array order — auditor.md AUD-45), each event
/// getting its file and object from the parent (api-v2.md API-97).
enum NestedEventAppend {
    /// The events of one written file.
    struct Group {
        let element: Int
        let fileID: Int64
        let fileIdentifier: String
        let events: [FileEventInput]
    }

    struct Result {
        /// Events stored (not replayed), per element index.
        var createdPerElement: [Int: Int] = [:]
        var created: [(eventType: String, outcome: String)] = []
    }

    /// Throws `.validation` naming every event whose identifier exists with other content
    /// (`…premis_events[j].identifier`: `has already been taken`); the caller's transaction then
    /// rolls back.
    static func append(_ groups: [Group], object: ObjectRef, on connection: PGConnection) throws -> Result {
        var events: [NewEvent] = []
        var owners: [(element: Int, input: FileEventInput)] = []
        for group in groups {
            for input in group.events {
                events.append(NewEvent(content: input.content, objectID: object.id, objectIdentifier: object.identifier,
                                       fileID: group.fileID, fileIdentifier: group.fileIdentifier))
                owners.append((group.element, input))
            }
        }
        var result = Result()
        guard !events.isEmpty else { return result }
        let outcomes = try EventStore.append(events, institutionID: object.institutionID,
                                             institutionIdentifier: object.institutionIdentifier, on: connection)
        var errors = FieldErrors()
        for (index, outcome) in outcomes.enumerated() {
            switch outcome {
            case .conflict:
                errors.add(owners[index].input.errorPrefix + "identifier", "has already been taken")
            case .created:
                result.createdPerElement[owners[index].element, default: 0] += 1
                result.created.append((events[index].content.eventType, events[index].content.outcome))
            case .replayed:
                break
            }
        }
        try errors.throwIfAny()
        return result
    }
}
