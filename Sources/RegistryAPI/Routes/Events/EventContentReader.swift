import Formats
import RegistryCore

/// Reads the nine PREMIS content fields of an event (api-v2.md API-100) from a body record. The
/// ONE reader for every way an event enters: `POST /events` (`EventBody`) and the events nested
/// in file creates, updates and `create_batch` (`FileEventReader`), so both apply the same rules.
enum EventContentReader {
    /// The content, or nil when a field is missing or invalid (its errors are in `reader`).
    static func read(_ reader: inout FieldReader) -> EventContent? {
        let identifier = uuid(&reader)
        let eventType = reader.vocabulary("event_type", Vocabulary.eventType, required: true).value
        let dateTime = reader.requiredTimestamp("date_time")
        let detail = reader.requiredString("detail")
        let outcome = reader.vocabulary("outcome", Vocabulary.eventOutcome, required: true).value
        let outcomeDetail = reader.requiredString("outcome_detail")
        let outcomeInformation = reader.optionalString("outcome_information").value
        let object = reader.requiredString("object")
        let agent = reader.requiredString("agent")
        guard let identifier, let eventType, let dateTime, let detail, let outcome, let outcomeDetail, let object,
              let agent else { return nil }
        return EventContent(identifier: identifier, eventType: eventType, dateTime: dateTime, detail: detail,
                            outcome: outcome, outcomeDetail: outcomeDetail, outcomeInformation: outcomeInformation,
                            object: object, agent: agent)
    }

    /// DOM-15: a UUID in 8-4-4-4-12 hex form, either case; stored and returned lower case. The
    /// spec gives no byte limit of its own: any string that is not a UUID, long or short, is
    /// `is invalid` (only the general DOM-6 cap of the reader answers `is too long`).
    private static func uuid(_ reader: inout FieldReader) -> String? {
        guard let text = reader.requiredString("identifier") else { return nil }
        guard IdentifierKind.isUUID(text) else {
            reader.fail("identifier", "is invalid")
            return nil
        }
        return text.lowercased()
    }
}
