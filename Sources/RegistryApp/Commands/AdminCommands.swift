import HTTPServer
import Postgres
import RegistryCore

/// The bootstrap commands of operations.md §3 (OPS-22..25, OPS-22a). Each is one transaction with
/// its audit row (`auth_method = cli`); validation problems exit 1, usage problems exit 2.
public enum AdminCommands {
    /// OPS-22: prints the new id.
    public static func createInstitution(_ configuration: RegistryConfiguration, environment: [String: String],
                                         identifier: String, name: String, type: String,
                                         parent: String?) throws(CommandFailure) -> String {
        let typeName: String
        switch (type, parent) {
        case ("member", nil): typeName = "MemberInstitution"
        case ("subscriber", _?): typeName = "SubscriptionInstitution"
        case ("member", _?): throw CommandFailure(exitCode: 2, "--parent is only for --type subscriber")
        case ("subscriber", nil): throw CommandFailure(exitCode: 2, "--type subscriber requires --parent")
        default: throw CommandFailure(exitCode: 2, "--type must be member or subscriber")
        }
        let new = NewInstitution(identifier: identifier, name: name, type: typeName, parentIdentifier: parent)
        let id = try transaction(configuration, environment) { connection in
            try InstitutionStore.create(new, receivingBucketPrefix: configuration.receivingBucketPrefix,
                                        restoreBucketPrefix: configuration.restoreBucketPrefix,
                                        audit: .cli("create institution", action: "institution.create"), on: connection)
        }
        return String(id)
    }

    /// OPS-22a: `registry institution deactivate|reactivate IDENT`.
    public static func setInstitutionActive(_ configuration: RegistryConfiguration, environment: [String: String],
                                            identifier: String, active: Bool) throws(CommandFailure) {
        let action = active ? "institution.reactivate" : "institution.deactivate"
        _ = try transaction(configuration, environment) { connection in
            try InstitutionStore.setActive(active, identifier: identifier, auditNoOp: false,
                                           audit: .cli("institution \(active ? "reactivate" : "deactivate")", action: action),
                                           on: connection)
        }
    }

    /// OPS-23: creates the user and its first API key; prints only the key.
    public static func createUser(_ configuration: RegistryConfiguration, environment: [String: String], email: String,
                                  name: String, institution: String, role: String, password: String?,
                                  keyLabel: String) throws(CommandFailure) -> String {
        let new = NewUser(email: email, name: name, institutionIdentifier: institution, role: role, password: password)
        return try transaction(configuration, environment) { connection in
            let userID = try UserStore.create(new, audit: .cli("create user", action: "user.create"), on: connection)
            return try APIKeyStore.issue(userID: userID, label: keyLabel, expiresInDays: nil, createdBy: nil,
                                         audit: .cli("create user", action: "api_key.issue"), on: connection).key
        }
    }

    /// OPS-24: issues another key; prints only the key.
    public static func createAPIKey(_ configuration: RegistryConfiguration, environment: [String: String], email: String,
                                    label: String, expiresInDays: Int?) throws(CommandFailure) -> String {
        try transaction(configuration, environment) { connection in
            let user = try connection.query("SELECT id FROM users WHERE email = \(EmailAddress.normalized(email))")
            guard user.rowCount == 1, let userID = try user.int64(0, 0) else {
                throw RegistryError.notFound("user not found: \(email)")
            }
            // `issue` refuses a deactivated user (409): such a key would start working at a
            // reactivation nobody tied to it.
            return try APIKeyStore.issue(userID: userID, label: label, expiresInDays: expiresInDays, createdBy: nil,
                                         audit: .cli("create api-key", action: "api_key.issue"), on: connection).key
        }
    }

    /// OPS-25: sets the password read from stdin.
    public static func setPassword(_ configuration: RegistryConfiguration, environment: [String: String], email: String,
                                   password: String) throws(CommandFailure) {
        try transaction(configuration, environment) { connection in
            try UserStore.setPassword(email: email, password: password,
                                      audit: .cli("set-password", action: "user.password_change"), on: connection)
        }
    }

    /// Opens the database (embedded or configured), runs `body` in one transaction, closes.
    static func transaction<T>(_ configuration: RegistryConfiguration, _ environment: [String: String],
                               _ body: (PGConnection) throws -> T) throws(CommandFailure) -> T {
        let logger = JSONLogger(level: configuration.logLevel == .debug ? .debug : .warn, fileDescriptor: 2)
        let runtime = try DatabaseRuntime.open(configuration, environment: environment, logger: logger, poolSize: 1)
        defer { runtime.close() }
        if configuration.migrateOnStart { _ = try runtime.migrate(logger: logger) }
        do {
            return try runtime.database.transaction { try body($0) }
        } catch let error as RegistryError {
            throw CommandFailure(exitCode: 1, CommandMessages.describe(error))
        } catch {
            throw CommandFailure(exitCode: 1, "database error: \(error)")
        }
    }
}

/// Human-readable text for domain errors on a terminal.
enum CommandMessages {
    static func describe(_ error: RegistryError) -> String {
        switch error {
        case .validation(let errors):
            return errors.entries.map { "\($0.field) \($0.messages.joined(separator: ", "))" }.joined(separator: "; ")
        case .notFound(let message), .badRequest(let message), .conflict(let message), .unsupportedMediaType(let message):
            return message
        case .forbidden:
            return RegistryError.forbiddenMessage
        case .unauthenticated:
            return "not authenticated"
        }
    }
}
