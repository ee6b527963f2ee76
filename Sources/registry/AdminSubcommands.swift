import ArgumentParser
import Foundation
import RegistryApp

/// `registry create institution|user|api-key` (OPS-22..24).
struct Create: CommandGroup {
    static let configuration = CommandConfiguration(
        abstract: "Create an institution, a user or an API key.",
        subcommands: [CreateInstitution.self, CreateUser.self, CreateAPIKey.self])
}

struct CreateInstitution: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "institution", abstract: "Create an institution; prints its id.")

    @Option(help: "Lower-case domain name, e.g. test.edu") var identifier: String
    @Option(help: "Display name") var name: String
    @Option(help: "member or subscriber") var type: String = "member"
    @Option(help: "Identifier of the member a subscriber belongs to") var parent: String?

    func run() throws {
        let (configuration, environment) = try loadConfiguration()
        print(try AdminCommands.createInstitution(configuration, environment: environment, identifier: identifier,
                                                  name: name, type: type, parent: parent))
    }
}

struct CreateUser: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "user", abstract: "Create a user and its first API key; prints the key.")

    @Option var email: String
    @Option var name: String
    @Option(help: "Identifier of the user's institution") var institution: String
    @Option(help: "admin, institutional_admin or institutional_user") var role: String
    @Flag(help: "Read one line from stdin as the password") var passwordStdin = false
    @Option(help: "Label of the first API key") var keyLabel: String = "cli"

    func run() throws {
        let (configuration, environment) = try loadConfiguration()
        let password = passwordStdin ? readLine(strippingNewline: true) ?? "" : nil
        print(try AdminCommands.createUser(configuration, environment: environment, email: email, name: name,
                                           institution: institution, role: role, password: password, keyLabel: keyLabel))
    }
}

struct CreateAPIKey: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "api-key", abstract: "Issue another API key; prints the key.")

    @Option var email: String
    @Option var label: String = "cli"
    @Option(help: "Days until the key expires (1–3650)") var expiresDays: Int?

    func run() throws {
        let (configuration, environment) = try loadConfiguration()
        print(try AdminCommands.createAPIKey(configuration, environment: environment, email: email, label: label,
                                             expiresInDays: expiresDays))
    }
}

/// `registry institution deactivate|reactivate IDENT` (OPS-22a).
struct Institution: CommandGroup {
    static let configuration = CommandConfiguration(
        abstract: "Deactivate or reactivate an institution.",
        subcommands: [Deactivate.self, Reactivate.self])

    struct Deactivate: ParsableCommand {
        @Argument(help: "Institution identifier") var identifier: String

        func run() throws {
            let (configuration, environment) = try loadConfiguration()
            try AdminCommands.setInstitutionActive(configuration, environment: environment, identifier: identifier, active: false)
        }
    }

    struct Reactivate: ParsableCommand {
        @Argument(help: "Institution identifier") var identifier: String

        func run() throws {
            let (configuration, environment) = try loadConfiguration()
            try AdminCommands.setInstitutionActive(configuration, environment: environment, identifier: identifier, active: true)
        }
    }
}

/// `registry set-password --email E` (OPS-25): one line from stdin.
struct SetPassword: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "set-password", abstract: "Set a user's password from stdin.")

    @Option var email: String

    func run() throws {
        let (configuration, environment) = try loadConfiguration()
        let password = readLine(strippingNewline: true) ?? ""
        try AdminCommands.setPassword(configuration, environment: environment, email: email, password: password)
    }
}
