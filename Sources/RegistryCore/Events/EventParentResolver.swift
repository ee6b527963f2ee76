import Postgres

/// The parents of an event: its object, and its file for a file event.
public struct EventParent: Sendable, Equatable {
    public let object: ObjectRef
    public let file: FileRef?
}

/// Resolves the parents named in a posted event (api-v2.md API-100, domain.md DOM-71).
///
/// The file (by `generic_file_identifier` or `generic_file_id`) wins when given; otherwise the object
/// (by `intellectual_object_identifier` or `intellectual_object_id`). A named parent that does not
/// resolve is a 422 on the field that named it; two fields naming different records are a 422 on
/// the second one, as is a body `institution_id` other than the object's. Every problem is added to
/// `errors`, so the request reports them together with its other field errors (API-52).
enum EventParentResolver {
    static let missing = "does not exist"

    static func resolve(_ reference: EventParentReference, caller: Caller, errors: inout FieldErrors,
                        on connection: PGConnection) throws -> EventParent? {
        let parent: EventParent?
        if reference.namesFile {
            parent = try resolveFile(reference, caller: caller, errors: &errors, on: connection)
        } else if reference.objectIdentifier != nil || reference.objectID != nil {
            parent = try resolveObject(reference, caller: caller, errors: &errors, on: connection)
                .map { EventParent(object: $0, file: nil) }
        } else {
            errors.add("intellectual_object_identifier", "can't be blank")
            parent = nil
        }
        if let parent, let institutionID = reference.institutionID, institutionID != parent.object.institutionID {
            errors.add("institution_id", "does not match the object's institution")
        }
        return parent
    }

    private static func resolveFile(_ reference: EventParentReference, caller: Caller, errors: inout FieldErrors,
                                    on connection: PGConnection) throws -> EventParent? {
        var byIdentifier: FileRef?
        if let identifier = reference.fileIdentifier {
            // An all-digit text is no file identifier (DOM-13 needs two `/`); RecordLookups would
            // read it as an id.
            byIdentifier = NumericID.parse(identifier) == nil
                ? try RecordLookups.file(identifierOrID: identifier, caller: caller, on: connection) : nil
            if byIdentifier == nil { errors.add("generic_file_identifier", missing) }
        }
        var byID: FileRef?
        if let id = reference.fileID {
            byID = try RecordLookups.file(identifierOrID: String(id), caller: caller, on: connection)
            if byID == nil { errors.add("generic_file_id", missing) }
        }
        if let byIdentifier, let byID, byIdentifier.id != byID.id {
            errors.add("generic_file_id", "does not match generic_file_identifier")
            return nil
        }
        guard let file = byIdentifier ?? byID else { return nil }
        // DOM-71: object fields sent along with a file must name that file's object.
        if let identifier = reference.objectIdentifier, !identifier.utf8.elementsEqual(file.object.identifier.utf8) {
            errors.add("intellectual_object_identifier", "does not match the file's object")
        }
        if let id = reference.objectID, id != file.object.id {
            errors.add("intellectual_object_id", "does not match the file's object")
        }
        return EventParent(object: file.object, file: file)
    }

    private static func resolveObject(_ reference: EventParentReference, caller: Caller, errors: inout FieldErrors,
                                      on connection: PGConnection) throws -> ObjectRef? {
        var byIdentifier: ObjectRef?
        if let identifier = reference.objectIdentifier {
            byIdentifier = NumericID.parse(identifier) == nil
                ? try RecordLookups.object(identifierOrID: identifier, caller: caller, on: connection) : nil
            if byIdentifier == nil { errors.add("intellectual_object_identifier", missing) }
        }
        var byID: ObjectRef?
        if let id = reference.objectID {
            byID = try RecordLookups.object(identifierOrID: String(id), caller: caller, on: connection)
            if byID == nil { errors.add("intellectual_object_id", missing) }
        }
        if let byIdentifier, let byID, byIdentifier.id != byID.id {
            errors.add("intellectual_object_id", "does not match intellectual_object_identifier")
            return nil
        }
        return byIdentifier ?? byID
    }
}
