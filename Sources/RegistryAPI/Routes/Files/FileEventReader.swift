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
        return FileEventInput(
            identifier: identifier, eventType: eventType, dateTime: dateTime, detail: detail, outcome: outcome,
            outcomeDetail: outcomeDetail, outcomeInformation: outcomeInformation, object: eventObject, agent: agent,
            existingID: existingID, claimedFileID: claimedFileID, errorPrefix: prefix)
    }
}

/// DOM-71: object and institution fields a client sends for a file or an event must be those of
/// the parent object (`0`/`null` reference ids count as absent, API-24).
enum ParentClaims {
    /// - Parameter objectIDRule: false when the caller checks `intellectual_object_id` itself
    ///   (updates: `cannot be changed`).
    static func check(_ reader: inout FieldReader, object: ObjectRef?, objectIDRule: Bool = true) {
        let objectID = objectIDRule ? reader.referenceID("intellectual_object_id") : nil
        let objectIdentifier = reader.optionalString("intellectual_object_identifier").value
        let institutionID = reader.referenceID("institution_id")
        guard let object else { return }
        if let objectID, objectID != object.id {
            reader.fail("intellectual_object_id", "does not match the object")
        }
        if let objectIdentifier, !objectIdentifier.utf8.elementsEqual(object.identifier.utf8) {
            reader.fail("intellectual_object_identifier", "does not match the object")
        }
        if let institutionID, institutionID != object.institutionID {
            reader.fail("institution_id", "does not match the object's institution")
        }
    }
}

/// API-27: nested lists under `name_attributes` (the workers' Pharos naming) or `name`, never both.
enum NestedLists {
    /// The element records with their error prefixes (`<prefix>checksums[0].`): keys use the plain
    /// name whichever spelling was sent (API-50).
    static func read(_ record: JSONObject, _ name: String, prefix: String,
                     errors: inout FieldErrors) -> [(record: JSONObject, prefix: String)] {
        let attributesName = name + "_attributes"
        let plain = record[name].flatMap { $0.isNull ? nil : $0 }
        let attributes = record[attributesName].flatMap { $0.isNull ? nil : $0 }
        if plain != nil && attributes != nil {
            errors.add(prefix + name, "cannot be sent together with \(attributesName)")
            return []
        }
        guard let value = plain ?? attributes else { return [] }
        guard case .array(let elements) = value else {
            errors.add(prefix + (plain != nil ? name : attributesName), "must be an array")
            return []
        }
        var records: [(record: JSONObject, prefix: String)] = []
        for (index, element) in elements.enumerated() {
            let elementPrefix = "\(prefix)\(name)[\(index)]"
            guard case .object(let child) = element else {
                errors.add(elementPrefix, "must be an object")
                continue
            }
            records.append((child, elementPrefix + "."))
        }
        return records
    }
}
