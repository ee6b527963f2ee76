import Postgres

/// The columns of a work item that visibility and the write routes need.
public struct WorkItemRef: Sendable, Equatable {
    public let id: Int64
    public let institutionID: Int64
    public let action: String
}

/// Finding work items and their states with the visibility of domain.md §7.2 (work items: admins
/// all, everyone else their own institution's): an item the caller may not see is nil, exactly like
/// a missing one (DOM-96a).
public enum WorkItemLookup {
    public static func item(id: Int64, caller: Caller, on connection: PGConnection) throws -> WorkItemRef? {
        let result = try connection.query("SELECT institution_id, action FROM work_items WHERE id = \(id)")
        guard result.rowCount == 1, let institutionID = try result.int64(0, 0), let action = result.string(0, 1),
              caller.isAdmin || institutionID == caller.institutionID else { return nil }
        return WorkItemRef(id: id, institutionID: institutionID, action: action)
    }

    /// A state row's item; nil when the state is missing or its item is not visible.
    public static func itemOfState(id: Int64, caller: Caller, on connection: PGConnection) throws -> WorkItemRef? {
        let result = try connection.query("""
            SELECT w.id, w.institution_id, w.action FROM work_item_states ws JOIN work_items w ON w.id = ws.work_item_id
            WHERE ws.id = \(id)
            """)
        guard result.rowCount == 1, let itemID = try result.int64(0, 0), let institutionID = try result.int64(0, 1),
              let action = result.string(0, 2), caller.isAdmin || institutionID == caller.institutionID else { return nil }
        return WorkItemRef(id: itemID, institutionID: institutionID, action: action)
    }
}
