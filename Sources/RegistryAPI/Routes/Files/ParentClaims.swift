import Formats
import RegistryCore

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
