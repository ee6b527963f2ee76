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
        let content = EventContentReader.read(&reader)
        let claimedFileID = reader.referenceID("generic_file_id")
        if case .value(let claimed) = reader.optionalString("generic_file_identifier"), let fileIdentifier,
           !claimed.utf8.elementsEqual(fileIdentifier.utf8) {
            reader.fail("generic_file_identifier", "does not match the file")
        }
        ParentClaims.check(&reader, object: object)
        var existingID: Int64?
        if case .value(let id) = reader.integer("id"), id > 0 { existingID = id }
        errors.merge(reader.errors)
        guard reader.errors.isEmpty, let content else { return nil }
        return FileEventInput(content: content, existingID: existingID, claimedFileID: claimedFileID, errorPrefix: prefix)
    }
}
