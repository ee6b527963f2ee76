import Postgres

/// A user as the permission rules see them.
public struct UserRef: Sendable, Equatable {
    public let id: Int64
    public let email: String
    public let name: String
    public let role: Role
    public let institutionID: Int64
    public let institutionIdentifier: String
    public let isActive: Bool
}

/// The user and API-key rows of the permission matrix (domain.md §7.2), always evaluated against
/// the **target** user (DOM-96, html.md WEB-40) — the Pharos defect was checking only the caller.
public enum UserPermissions {
    /// "User show": admin any; inst admin own institution's users except admins; inst user only
    /// themself. A user the caller may not see is answered like a missing one (DOM-96a).
    ///
    /// Admins are not visible to an inst admin even when their account belongs to the inst admin's
    /// institution: domain.md §7.3's test has an inst admin deactivating "an admin" get a 404 (not
    /// visible), and an inst admin may not act on an admin in any way.
    public static func canSee(_ caller: Caller, _ target: UserRef) -> Bool {
        switch caller.role {
        case .admin: true
        case .institutionalAdmin: target.institutionID == caller.institutionID && target.role != .admin
        case .institutionalUser: target.id == caller.userID
        }
    }

    /// "User list": admin all, inst admin own institution (without admins, as `canSee`), inst user
    /// none (403).
    public static func canList(_ caller: Caller) -> Bool { caller.role != .institutionalUser }

    /// "User create": admin and inst admin.
    public static func canCreate(_ caller: Caller) -> Bool { caller.role != .institutionalUser }

    /// Roles the caller may give a user (create or role change).
    public static func grantableRoles(_ caller: Caller) -> [Role] {
        switch caller.role {
        case .admin: [.admin, .institutionalAdmin, .institutionalUser]
        case .institutionalAdmin: [.institutionalAdmin, .institutionalUser]
        case .institutionalUser: []
        }
    }

    /// An inst admin's own institution's user who is not an admin.
    private static func isOwnNonAdmin(_ caller: Caller, _ target: UserRef) -> Bool {
        caller.role == .institutionalAdmin && target.institutionID == caller.institutionID && target.role != .admin
    }

    /// "User role change": admin any other user; inst admin own non-admin users; never self.
    public static func canChangeRole(_ caller: Caller, _ target: UserRef) -> Bool {
        guard target.id != caller.userID else { return false }
        return caller.isAdmin || isOwnNonAdmin(caller, target)
    }

    /// "User deactivate / reactivate": admin any user except self; inst admin own non-admin users
    /// except self ([Fix]).
    public static func canSetActive(_ caller: Caller, _ target: UserRef) -> Bool {
        canChangeRole(caller, target)
    }

    /// "API key issue": admin for any user; everyone else for themself.
    public static func canIssueKey(_ caller: Caller, for target: UserRef) -> Bool {
        caller.isAdmin || target.id == caller.userID
    }

    /// "API key list / revoke": admin any; inst admin self and own non-admin users; inst user self.
    public static func canManageKeys(_ caller: Caller, of owner: UserRef) -> Bool {
        caller.isAdmin || owner.id == caller.userID || isOwnNonAdmin(caller, owner)
    }

    /// The "send reset" action of html.md WEB-9: admins for anyone, inst admins for their own
    /// institution's non-admin users (themselves included).
    public static func canSendPasswordReset(_ caller: Caller, _ target: UserRef) -> Bool {
        caller.isAdmin || isOwnNonAdmin(caller, target)
    }
}

/// Finding users with the visibility of the matrix applied.
public enum UserLookup {
    /// The user with this id, or nil when missing or not visible to `caller` (DOM-96a).
    public static func user(id: Int64, caller: Caller, on connection: PGConnection) throws -> UserRef? {
        let result = try connection.query("""
            SELECT u.id, u.email, u.name, u.role, u.institution_id, i.identifier, u.deactivated_at IS NULL
            FROM users u JOIN institutions i ON i.id = u.institution_id WHERE u.id = \(id)
            """)
        guard result.rowCount == 1, let user = try userRef(result, row: 0) else { return nil }
        return UserPermissions.canSee(caller, user) ? user : nil
    }

    static func userRef(_ result: PGResult, row: Int) throws -> UserRef? {
        guard let id = try result.int64(row, 0), let role = result.string(row, 3).flatMap(Role.init(rawValue:)),
              let institutionID = try result.int64(row, 4) else { return nil }
        return UserRef(id: id, email: result.string(row, 1) ?? "", name: result.string(row, 2) ?? "", role: role,
                       institutionID: institutionID, institutionIdentifier: result.string(row, 5) ?? "",
                       isActive: try result.bool(row, 6) ?? false)
    }
}
