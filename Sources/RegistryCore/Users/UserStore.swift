import CryptoSupport
import Formats
import Postgres

/// A new user as a command or form supplies it.
public struct NewUser: Sendable {
    public var email: String
    public var name: String
    public var institutionIdentifier: String
    public var role: String
    /// nil: no password yet (a set-password link is issued instead, WEB-41).
    public var password: String?

    public init(email: String, name: String, institutionIdentifier: String, role: String, password: String?) {
        self.email = email
        self.name = name
        self.institutionIdentifier = institutionIdentifier
        self.role = role
        self.password = password
    }
}

/// Users and their passwords (domain.md §4.2, html.md WEB-3/4).
public enum UserStore {
    /// Creates the user; returns its id. Validation problems are a `.validation` error.
    public static func create(_ new: NewUser, audit: AuditEntry, on connection: PGConnection) throws -> Int64 {
        // In the order of the HTML form's fields, which its error summary follows.
        var errors = FieldErrors()
        if new.name.unicodeScalars.allSatisfy(\.properties.isWhitespace) {
            errors.add("name", "can't be blank")
        } else if new.name.utf8.count > 255 {
            errors.add("name", "is too long")
        }
        let email = EmailAddress.normalized(new.email)
        if !EmailRules.isValid(email) { errors.add("email", "is invalid") }
        if Role(rawValue: new.role) == nil { errors.add("role", "is not included in the list") }
        if let password = new.password, let problem = PasswordRules.problem(password, email: email) {
            errors.add("password", problem)
        }
        let institution = try connection.query("SELECT id FROM institutions WHERE identifier = \(new.institutionIdentifier)")
        let institutionID = institution.rowCount == 1 ? try institution.int64(0, 0) : nil
        if institutionID == nil { errors.add("institution", "does not exist") }
        if try connection.query("SELECT 1 FROM users WHERE email = \(email)").rowCount > 0 {
            errors.add("email", "has already been taken")
        }
        try errors.throwIfAny()

        let passwordHash = new.password.map { PasswordHash.make(password: $0) }
        let changedAt = passwordHash == nil ? nil : Timestamp.now()
        let result = try connection.query("""
            INSERT INTO users (email, name, institution_id, role, password_hash, password_changed_at)
            VALUES (\(email), \(new.name), \(institutionID!), \(new.role), \(passwordHash), \(changedAt))
            RETURNING id
            """)
        guard let id = try result.int64(0, 0) else { throw PGError(kind: .other, message: "insert returned no id") }
        var entry = audit
        entry.resourceType = "user"
        entry.resourceID = id
        entry.resourceIdentifier = email
        entry.institutionID = institutionID
        entry.details = AuditDetails.object(["role": new.role])
        try AuditLog.append(entry, on: connection)
        return id
    }

    /// Sets a user's password (WEB-3 hash, WEB-4 rules); throws `.notFound` for an unknown e-mail.
    public static func setPassword(email: String, password: String, audit: AuditEntry, on connection: PGConnection) throws {
        let normalized = EmailAddress.normalized(email)
        let user = try connection.query("SELECT id, institution_id FROM users WHERE email = \(normalized)")
        guard user.rowCount == 1, let id = try user.int64(0, 0) else {
            throw RegistryError.notFound("user not found: \(email)")
        }
        if let problem = PasswordRules.problem(password, email: normalized) {
            throw RegistryError.validation(FieldErrors("password", problem))
        }
        try UserPasswords.store(userID: id, passwordHash: UserPasswords.hash(password), on: connection)
        var entry = audit
        entry.resourceType = "user"
        entry.resourceID = id
        entry.resourceIdentifier = normalized
        entry.institutionID = try user.int64(0, 1)
        try AuditLog.append(entry, on: connection)
    }
}
