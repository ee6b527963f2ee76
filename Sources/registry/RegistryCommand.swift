import ArgumentParser
import Foundation
import RegistryApp

/// The `registry` command line (operations.md §3). Exit codes: 0 success, 1 failure, 2 usage or
/// configuration error. Messages go to stderr; only documented output goes to stdout.
@main
struct RegistryCommand: CommandGroup {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "The preservation metadata registry.",
        subcommands: [Serve.self, Migrate.self, Version.self, Create.self, Institution.self, SetPassword.self, DemoData.self,
                      Audit.self])

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as CommandFailure {
            FileHandle.standardError.write(Data("registry: \(failure.message)\n".utf8))
            Foundation.exit(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data("\(message)\n".utf8))
            // Usage errors are exit 2 (operations.md §3), whatever ArgumentParser's default is.
            Foundation.exit(2)
        }
    }
}

/// Loads and checks every variable (OPS-2): any invalid value is exit 2 before anything else.
func loadConfiguration() throws -> (RegistryConfiguration, [String: String]) {
    let environment = ProcessInfo.processInfo.environment
    do {
        return (try RegistryConfiguration.load(from: environment), environment)
    } catch {
        throw CommandFailure.configuration(error)
    }
}

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the HTTP server (migrating first).")

    func run() throws {
        let (configuration, environment) = try loadConfiguration()
        let code = try RegistryServer.run(configuration, environment: environment)
        Foundation.exit(code)
    }
}

struct Migrate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending migrations, or list them with --status.")

    @Flag(help: "List each migration as `applied <file>` or `pending <file>`.")
    var status = false

    func run() throws {
        let (configuration, environment) = try loadConfiguration()
        let lines = try MigrateCommand.run(configuration, environment: environment, statusOnly: status)
        for line in lines { print(line) }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() throws {
        _ = try loadConfiguration()
        print(RegistryVersion.current)
    }
}

/// `registry demo-data` (OPS-26, OPS-80): prints the demo credentials on the first run only.
struct DemoData: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo-data", abstract: "Load the demo data set once.")

    func run() throws {
        let (configuration, environment) = try loadConfiguration()
        if let table = try DemoDataCommand.run(configuration, environment: environment) {
            print(table)
        } else {
            FileHandle.standardError.write(Data("demo data already present\n".utf8))
        }
    }
}
