import Formats
import RegistryCore

/// Reading object bodies (api-v2.md API-92, API-93) into plain inputs for `ObjectStore`, reporting
/// every field error of the record at once (API-52).
enum ObjectBody {
    static let wrapper = "intellectual_object"
    /// DOM-4 limit of `etag`.
    static let etagMaxBytes = 255
    static let nestedMessage = "nested records are not supported here; use create_batch or POST /api/v2/events"

    /// A create body for `institution` (the path's, already resolved).
    static func newObject(_ record: JSONObject, institution: InstitutionRef) throws(RegistryError) -> NewObject {
        var reader = FieldReader(record)
        let identifier = reader.requiredString("identifier", maxBytes: ObjectIdentifierRules.maxBytes)
        if let identifier, let problem = ObjectIdentifierRules.problem(identifier, institution: institution.identifier) {
            reader.fail("identifier", problem)
        }
        let title = reader.requiredString("title")
        let access = reader.vocabulary("access", Vocabulary.access, required: true).value
        // DOM-12: absent or empty → derived from the identifier; otherwise stored as sent [Compat].
        // Any text length (DOM-6); one too long for the bag-name index is refused by the store.
        let bagName = reader.optionalString("bag_name").value
        let storageOption = reader.vocabulary("storage_option", Vocabulary.storageOption, required: false).value
        if let institutionID = reader.referenceID("institution_id"), institutionID != institution.id {
            reader.fail("institution_id", "does not match the institution in the path")
        }
        let optional = readOptionalText(&reader)
        rejectNestedRecords(record, &reader)
        // `state` is forced to `A` (API-92), so whatever was sent is not even read.
        try reader.errors.throwIfAny()
        guard let identifier, let title, let access else { throw .validation(reader.errors) }
        return NewObject(identifier: identifier, institutionID: institution.id, content: ObjectContent(
            title: title, description: optional.description, altIdentifier: optional.altIdentifier, access: access,
            bagName: bagName ?? ObjectIdentifierRules.derivedBagName(identifier),
            bagGroupIdentifier: optional.bagGroupIdentifier, etag: optional.etag,
            storageOption: storageOption ?? "Standard", bagitProfileIdentifier: optional.bagitProfileIdentifier,
            sourceOrganization: optional.sourceOrganization, internalSenderIdentifier: optional.internalSenderIdentifier,
            internalSenderDescription: optional.internalSenderDescription))
    }

    /// An update body for `stored` (API-93): absent fields stay unchanged; `identifier`, `bag_name`
    /// and `institution_id` only unchanged; `state` `A` revives, `D` is refused; DOM-60 checked here
    /// too (against the looked-up row) so it is reported together with the other field errors.
    static func patch(_ record: JSONObject, stored: ObjectRef) throws(RegistryError) -> ObjectPatch {
        var reader = FieldReader(record)
        var patch = ObjectPatch()
        requireUnchanged("identifier", stored.identifier, &reader)
        requireUnchanged("bag_name", stored.bagName, &reader)
        if let institutionID = reader.referenceID("institution_id"), institutionID != stored.institutionID {
            reader.fail("institution_id", "cannot be changed")
        }
        if record["title"] != nil, let title = reader.requiredString("title") {
            patch.title = .set(title)
        }
        if record["access"] != nil, let access = reader.vocabulary("access", Vocabulary.access, required: true).value {
            patch.access = .set(access)
        }
        if record["storage_option"] != nil,
           let option = reader.vocabulary("storage_option", Vocabulary.storageOption, required: true).value {
            patch.storageOption = .set(option)
        }
        if record["state"] != nil, let state = reader.requiredString("state") {
            switch state {
            case "A": patch.revive = true
            case "D": reader.fail("state", "use the deletion workflow")  // DOM-61
            default: reader.fail("state", "is not included in the list")
            }
        }
        if stored.state == "A", case .set(let option) = patch.storageOption,
           !option.utf8.elementsEqual(stored.storageOption.utf8) {
            reader.fail("storage_option", ObjectStore.storageOptionLockedMessage)  // DOM-60
        }
        patch.description = patchValue(reader.optionalString("description"))
        patch.altIdentifier = patchValue(reader.optionalString("alt_identifier"))
        patch.bagGroupIdentifier = patchValue(reader.optionalString("bag_group_identifier"))
        patch.etag = patchValue(reader.optionalString("etag", maxBytes: etagMaxBytes))
        patch.bagitProfileIdentifier = patchValue(reader.optionalString("bagit_profile_identifier"))
        patch.sourceOrganization = patchValue(reader.optionalString("source_organization"))
        patch.internalSenderIdentifier = patchValue(reader.optionalString("internal_sender_identifier"))
        patch.internalSenderDescription = patchValue(reader.optionalString("internal_sender_description"))
        rejectNestedRecords(record, &reader)
        try reader.errors.throwIfAny()
        return patch
    }

    // MARK: Helpers

    private struct OptionalText {
        var description, altIdentifier, bagGroupIdentifier, etag, bagitProfileIdentifier, sourceOrganization,
            internalSenderIdentifier, internalSenderDescription: String?
    }

    /// The optional free-text fields of a create (DOM-4: `""` and `null` are stored as NULL).
    private static func readOptionalText(_ reader: inout FieldReader) -> OptionalText {
        OptionalText(
            description: reader.optionalString("description").value,
            altIdentifier: reader.optionalString("alt_identifier").value,
            bagGroupIdentifier: reader.optionalString("bag_group_identifier").value,
            etag: reader.optionalString("etag", maxBytes: etagMaxBytes).value,
            bagitProfileIdentifier: reader.optionalString("bagit_profile_identifier").value,
            sourceOrganization: reader.optionalString("source_organization").value,
            internalSenderIdentifier: reader.optionalString("internal_sender_identifier").value,
            internalSenderDescription: reader.optionalString("internal_sender_description").value)
    }

    /// absent → keep; `null` or `""` → clear; text → set.
    private static func patchValue(_ field: Field<String>) -> Patch<String?> {
        switch field {
        case .absent: return .keep
        case .null: return .set(nil)
        case .value(let text): return .set(text)
        }
    }

    /// API-93: an immutable field may be sent, but only with its stored value (bytes, DOM-5).
    /// `null` carries no value and is ignored like an absent field; `""` is a change (as for files,
    /// API-99), since no object has an empty identifier or bag name (DOM-4).
    private static func requireUnchanged(_ key: String, _ stored: String, _ reader: inout FieldReader) {
        if case .value(let sent) = reader.rawString(key, maxBytes: Int.max), !sent.utf8.elementsEqual(stored.utf8) {
            reader.fail(key, "cannot be changed")
        }
    }

    /// API-27: objects do not take nested files or events: a body with either key is a 422, an
    /// empty list included (the Go workers send neither: their object JSON names its association
    /// `generic_files`, an unknown field here, API-26). Only `null` counts as not sent.
    private static func rejectNestedRecords(_ record: JSONObject, _ reader: inout FieldReader) {
        for key in ["generic_files_attributes", "premis_events_attributes"] {
            switch record[key] {
            case nil, .null?: continue
            default: reader.fail(key, nestedMessage)
            }
        }
    }
}
