/// The authenticated user a request acts for.
public struct Caller: Sendable, Equatable {
    public let userID: Int64
    public let email: String
    public let role: Role
    public let institutionID: Int64
    public let institutionIdentifier: String
    /// For audit rows: `api_key:<id>`, `session` or `cli` (domain.md §4.12).
    public let authMethod: String

    public init(userID: Int64, email: String, role: Role, institutionID: Int64, institutionIdentifier: String,
                authMethod: String) {
        self.userID = userID
        self.email = email
        self.role = role
        self.institutionID = institutionID
        self.institutionIdentifier = institutionIdentifier
        self.authMethod = authMethod
    }

    public var isAdmin: Bool { role == .admin }
    public var isInstitutionalAdmin: Bool { role == .institutionalAdmin }

    /// domain.md §7.1: may this caller show an object (and its files, events, checksums, storage
    /// records) of `institutionID` at access level `access`?
    public func canShow(objectOf institutionID: Int64, access: String) -> Bool {
        if isAdmin || access == "consortia" { return true }
        guard institutionID == self.institutionID else { return false }
        return access == "institution" || (access == "restricted" && isInstitutionalAdmin)
    }
}
