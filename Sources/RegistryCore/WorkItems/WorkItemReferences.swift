import Postgres

/// DOM-75 inside a write transaction: the derived `object_identifier` of a finished ingest, and the
/// ids that follow from `object_identifier` / `generic_file_identifier`.
///
/// Ids are derived from the identifiers: an identifier naming an existing record sets its id, one
/// naming nothing (yet) or no identifier leaves the id NULL. A positive id sent in the body must
/// name an existing record that agrees with the identifier; with no identifier it supplies it.
public enum WorkItemReferences {
    static func resolve(_ record: inout WorkItemRecord, bodyObjectID: Int64?, bodyFileID: Int64?,
                        on connection: PGConnection) throws {
        if WorkItemRules.isDerivationDue(record) {
            let institution = try connection.query("SELECT identifier FROM institutions WHERE id = \(record.institutionID)")
            if let identifier = institution.rowCount == 1 ? institution.string(0, 0) : nil {
                record.objectIdentifier = WorkItemRules.derivedObjectIdentifier(record, institutionIdentifier: identifier)
            }
        }
        guard record.objectIdentifier != nil || record.genericFileIdentifier != nil || bodyObjectID != nil
                || bodyFileID != nil || record.deletionRequestID != nil else {
            record.intellectualObjectID = nil
            record.genericFileID = nil
            return
        }
        // One round trip for every reference; a NULL parameter simply finds nothing.
        let found = try connection.query("""
            SELECT (SELECT id FROM intellectual_objects WHERE identifier = \(record.objectIdentifier)),
                   (SELECT identifier FROM intellectual_objects WHERE id = \(bodyObjectID)),
                   (SELECT id FROM generic_files WHERE identifier = \(record.genericFileIdentifier)),
                   (SELECT identifier FROM generic_files WHERE id = \(bodyFileID)),
                   EXISTS (SELECT 1 FROM deletion_requests WHERE id = \(record.deletionRequestID))
            """)
        var errors = FieldErrors()
        link(identifier: &record.objectIdentifier, id: &record.intellectualObjectID, found: try found.int64(0, 0),
             bodyID: bodyObjectID, bodyIDIdentifier: found.string(0, 1), idField: "intellectual_object_id",
             identifierField: "object_identifier", errors: &errors)
        link(identifier: &record.genericFileIdentifier, id: &record.genericFileID, found: try found.int64(0, 2),
             bodyID: bodyFileID, bodyIDIdentifier: found.string(0, 3), idField: "generic_file_id",
             identifierField: "generic_file_identifier", errors: &errors)
        if record.deletionRequestID != nil, try found.bool(0, 4) != true {
            errors.add("deletion_request_id", "is invalid")
        }
        try errors.throwIfAny()
    }

    /// API-52: "is invalid" for each id that names no record, for a body whose other field errors
    /// are reported now: all of them come in one answer. Nil ids are not checked.
    public static func unknownIDs(institutionID: Int64?, objectID: Int64?, fileID: Int64?, deletionRequestID: Int64?,
                                  on connection: PGConnection) throws -> FieldErrors {
        let found = try connection.query("""
            SELECT \(institutionID)::bigint IS NULL OR EXISTS (SELECT 1 FROM institutions WHERE id = \(institutionID)),
                   \(objectID)::bigint IS NULL OR EXISTS (SELECT 1 FROM intellectual_objects WHERE id = \(objectID)),
                   \(fileID)::bigint IS NULL OR EXISTS (SELECT 1 FROM generic_files WHERE id = \(fileID)),
                   \(deletionRequestID)::bigint IS NULL OR EXISTS (SELECT 1 FROM deletion_requests WHERE id = \(deletionRequestID))
            """)
        var errors = FieldErrors()
        for (column, field) in ["institution_id", "intellectual_object_id", "generic_file_id", "deletion_request_id"].enumerated()
        where try found.bool(0, column) != true {
            errors.add(field, "is invalid")
        }
        return errors
    }

    private static func link(identifier: inout String?, id: inout Int64?, found: Int64?, bodyID: Int64?,
                             bodyIDIdentifier: String?, idField: String, identifierField: String,
                             errors: inout FieldErrors) {
        guard let bodyID else {
            id = identifier == nil ? nil : found
            return
        }
        guard let named = bodyIDIdentifier else {
            errors.add(idField, "is invalid")
            return
        }
        if let identifier, !identifier.utf8.elementsEqual(named.utf8) {
            errors.add(idField, "does not match \(identifierField)")
            return
        }
        identifier = named
        id = bodyID
    }
}
