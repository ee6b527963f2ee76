import Formats
import RegistryCore

/// Reads the body of `POST /events` (api-v2.md API-100) into an `EventInput`, collecting every
/// field error (API-52). Server-managed fields (`id`, `sequence`, hashes, `created_at`,
/// `institution` …) and unknown fields are ignored (API-24).
enum EventBody {
    static func read(_ record: JSONObject) -> EventInput {
        var reader = FieldReader(record)
        let identifier = uuid(&reader)
        let eventType = exactVocabulary(&reader, "event_type", Vocabulary.eventType)
        let dateTime = reader.requiredTimestamp("date_time")
        let detail = reader.requiredString("detail")
        let outcome = exactVocabulary(&reader, "outcome", Vocabulary.eventOutcome)
        let outcomeDetail = reader.requiredString("outcome_detail")
        let outcomeInformation = reader.optionalString("outcome_information").value
        let object = reader.requiredString("object")
        let agent = reader.requiredString("agent")
        let parent = EventParentReference(
            fileIdentifier: reader.optionalString("generic_file_identifier").value,
            fileID: reader.referenceID("generic_file_id"),
            objectIdentifier: reader.optionalString("intellectual_object_identifier").value,
            objectID: reader.referenceID("intellectual_object_id"),
            institutionID: reader.referenceID("institution_id"))

        var content: EventContent?
        if let identifier, let eventType, let dateTime, let detail, let outcome, let outcomeDetail, let object,
           let agent {
            content = EventContent(identifier: identifier, eventType: eventType, dateTime: dateTime, detail: detail,
                                   outcome: outcome, outcomeDetail: outcomeDetail,
                                   outcomeInformation: outcomeInformation, object: object, agent: agent)
        }
        return EventInput(content: content, parent: parent, errors: reader.errors)
    }

    /// DOM-15: a UUID in 8-4-4-4-12 hex form, either case; stored and returned lower case.
    private static func uuid(_ reader: inout FieldReader) -> String? {
        guard let text = reader.requiredString("identifier") else { return nil }
        guard IdentifierKind.isUUID(text) else {
            reader.fail("identifier", "is invalid")
            return nil
        }
        return text.lowercased()
    }

    /// DOM-36/37: the value must equal a vocabulary entry byte for byte. `Set.contains` would use
    /// Swift's canonical equivalence (DOM-5) and let through text the database CHECK then refuses.
    private static func exactVocabulary(_ reader: inout FieldReader, _ key: String, _ allowed: Set<String>) -> String? {
        guard let text = reader.requiredString(key) else { return nil }
        guard allowed.contains(where: { $0.utf8.elementsEqual(text.utf8) }) else {
            reader.fail(key, "is not included in the list")
            return nil
        }
        return text
    }
}
