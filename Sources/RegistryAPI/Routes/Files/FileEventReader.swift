import Formats
import RegistryCore

/// Reads a PREMIS event nested in a file body (api-v2.md API-27, API-64, API-100 fields). Its
/// parents are the file and its object; parent fields sent anyway must agree (DOM-71).
enum FileEventReader {
    /// - Parameters:
    ///   - object: the parent object, nil when it could not be resolved (its checks are skipped).
    ///   - fileIdentifier: the parent file's identifier, nil when unknown.
    static func read(_ record: JSONObject, prefix: String, object: ObjectRef?, fileIdentifier: String?,
                     errors: inout FieldErrors) -> FileEventInput? {
        var reader = FieldReader(record, prefix: prefix)
        var identifier = reader.requiredString("identifier", maxBytes: 64)
        if let text = identifier {
            if IdentifierKind.isUUID(text) {
                identifier = text.lowercased()  // DOM-15: stored and returned in lower case
            } else {
                reader.fail("identifier", "is invalid")
                identifier = nil
            }
        }
        let eventType = reader.vocabulary("event_type", Vocabulary.eventType, required: true).value
        let dateTime = reader.requiredTimestamp("date_time")
        let outcome = reader.vocabulary("outcome", Vocabulary.eventOutcome, required: true).value
        let detail = reader.requiredString("detail")
        let outcomeDetail = reader.requiredString("outcome_detail")
        let eventObject = reader.requiredString("object")
        let agent = reader.requiredString("agent")
        let outcomeInformation = reader.optionalString("outcome_information").value
        let claimedFileID = reader.referenceID("generic_file_id")
        if case .value(let claimed) = reader.optionalString("generic_file_identifier"), let fileIdentifier,
           !claimed.utf8.elementsEqual(fileIdentifier.utf8) {
            reader.fail("generic_file_identifier", "does not match the file")
        }
        ParentClaims.check(&reader, object: object)
        var existingID: Int64?
        if case .value(let id) = reader.integer("id"), id > 0 { existingID = id }
        errors.merge(reader.errors)
        guard reader.errors.isEmpty, let identifier, let eventType, let dateTime, let outcome, let detail,
              let outcomeDetail, let eventObject, let agent else { return nil }
        let content = EventContent(
            identifier: identifier, eventType: eventType, dateTime: dateTime, detail: detail, outcome: outcome,
            outcomeDetail: outcomeDetail, outcomeInformation: outcomeInformation, object: eventObject, agent: agent)
        return FileEventInput(content: content, existingID: existingID, claimedFileID: claimedFileID, errorPrefix: prefix)
    }
}
