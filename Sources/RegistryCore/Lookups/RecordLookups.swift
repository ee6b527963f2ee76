import Postgres

/// The few columns of an institution that rules and scoping need.
public struct InstitutionRef: Sendable, Equatable {
    public let id: Int64
    public let identifier: String
    public let type: String
    public let state: String
}

/// The columns of an object that visibility, permission and workflow rules need.
public struct ObjectRef: Sendable, Equatable {
    public let id: Int64
    public let identifier: String
    public let institutionID: Int64
    public let institutionIdentifier: String
    public let access: String
    public let state: String
    public let storageOption: String
    public let bagName: String
}

/// The columns of a file that visibility, permission and workflow rules need (plus its object's).
public struct FileRef: Sendable, Equatable {
    public let id: Int64
    public let identifier: String
    public let state: String
    public let size: Int64
    public let storageOption: String
    public let object: ObjectRef
}

/// Finding records by identifier or id, with the visibility rules of domain.md §7.1 applied: a
/// record the caller may not see is returned as nil, exactly like a missing one (DOM-96a).
public enum RecordLookups {
    public static func institution(identifierOrID text: String, caller: Caller, on connection: PGConnection) throws -> InstitutionRef? {
        let query: PGQuery
        if let id = NumericID.parse(text) {
            query = "SELECT id, identifier, type, state FROM institutions WHERE id = \(id)"
        } else {
            query = "SELECT id, identifier, type, state FROM institutions WHERE identifier = \(text)"
        }
        let result = try connection.query(query)
        guard result.rowCount == 1, let id = try result.int64(0, 0) else { return nil }
        // Non-admins see only their own institution (domain.md §7.2).
        guard caller.isAdmin || id == caller.institutionID else { return nil }
        return InstitutionRef(id: id, identifier: result.string(0, 1) ?? "", type: result.string(0, 2) ?? "",
                              state: result.string(0, 3) ?? "")
    }

    static let objectColumns: PGQuery = """
        SELECT o.id, o.identifier, o.institution_id, i.identifier, o.access, o.state, o.storage_option, o.bag_name
        FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id
        """

    /// By identifier or numeric id; nil when missing or not visible to `caller` (show rule).
    public static func object(identifierOrID text: String, caller: Caller, on connection: PGConnection) throws -> ObjectRef? {
        try visibleObject(try connection.query(objectQuery(identifierOrID: text)), to: caller)
    }

    /// The statement of `object(identifierOrID:caller:on:)`; it does not depend on the caller, so
    /// it can travel in one pipeline with the authentication (`ListOnLoop`).
    public static func objectQuery(identifierOrID text: String) -> PGQuery {
        var query = objectColumns
        if let id = NumericID.parse(text) {
            query.append(" WHERE o.id = \(id)")
        } else {
            query.append(" WHERE o.identifier = \(text)")
        }
        return query
    }

    /// The object of an `objectQuery` result, if `caller` may see it (show rule).
    public static func visibleObject(_ result: PGResult, to caller: Caller) throws -> ObjectRef? {
        guard result.rowCount == 1, let object = try objectRef(result, row: 0, offset: 0) else { return nil }
        return caller.canShow(objectOf: object.institutionID, access: object.access) ? object : nil
    }

    /// By identifier or numeric id; nil when missing or its object is not visible to `caller`.
    public static func file(identifierOrID text: String, caller: Caller, on connection: PGConnection) throws -> FileRef? {
        var query: PGQuery = """
            SELECT f.id, f.identifier, f.state, f.size, f.storage_option,
                   o.id, o.identifier, o.institution_id, i.identifier, o.access, o.state, o.storage_option, o.bag_name
            FROM generic_files f
            JOIN intellectual_objects o ON o.id = f.intellectual_object_id
            JOIN institutions i ON i.id = o.institution_id
            """
        if let id = NumericID.parse(text) {
            query.append(" WHERE f.id = \(id)")
        } else {
            query.append(" WHERE f.identifier = \(text)")
        }
        let result = try connection.query(query)
        guard result.rowCount == 1, let id = try result.int64(0, 0), let object = try objectRef(result, row: 0, offset: 5)
        else { return nil }
        guard caller.canShow(objectOf: object.institutionID, access: object.access) else { return nil }
        return FileRef(id: id, identifier: result.string(0, 1) ?? "", state: result.string(0, 2) ?? "",
                       size: try result.int64(0, 3) ?? 0, storageOption: result.string(0, 4) ?? "", object: object)
    }

    static func objectRef(_ result: PGResult, row: Int, offset: Int) throws -> ObjectRef? {
        guard let id = try result.int64(row, offset), let institutionID = try result.int64(row, offset + 2) else { return nil }
        return ObjectRef(id: id, identifier: result.string(row, offset + 1) ?? "", institutionID: institutionID,
                         institutionIdentifier: result.string(row, offset + 3) ?? "", access: result.string(row, offset + 4) ?? "",
                         state: result.string(row, offset + 5) ?? "", storageOption: result.string(row, offset + 6) ?? "",
                         bagName: result.string(row, offset + 7) ?? "")
    }
}
