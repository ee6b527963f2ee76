import Formats
import RegistryCore

/// Reads the body of `POST /events` (api-v2.md API-100) into an `EventInput`, collecting every
/// field error (API-52). Server-managed fields (`id`, `sequence`, hashes, `created_at`,
/// `institution` …) and unknown fields are ignored (API-24).
enum EventBody {
    static func read(_ record: JSONObject) -> EventInput {
        var reader = FieldReader(record)
        let content = EventContentReader.read(&reader)
        let parent = EventParentReference(
            fileIdentifier: reader.optionalString("generic_file_identifier").value,
            fileID: reader.referenceID("generic_file_id"),
            objectIdentifier: reader.optionalString("intellectual_object_identifier").value,
            objectID: reader.referenceID("intellectual_object_id"),
            institutionID: reader.referenceID("institution_id"))
        return EventInput(content: content, parent: parent, errors: reader.errors)
    }
}
