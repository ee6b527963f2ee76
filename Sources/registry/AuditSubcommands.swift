import ArgumentParser
import Foundation
import RegistryApp

/// `registry audit verify` (operations.md OPS-27, auditor.md AUD-60..63).
struct Audit: CommandGroup {
    static let configuration = CommandConfiguration(
        abstract: "Tamper evidence of the event log.",
        subcommands: [Verify.self])

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute every event chain from the database; exit 0 if intact, 1 if broken.")

        @Option(help: "Verify only this institution (identifier)") var institution: String?
        @Option(name: .customLong("from-head"),
                help: "HASH@SEQ: a head recorded earlier; the chain must still pass through it (needs --institution)")
        var fromHead: String?

        func run() throws {
            let (configuration, environment) = try loadConfiguration()
            let code = try AuditVerifyCommand.run(configuration, environment: environment, institution: institution,
                                                  fromHead: fromHead) { line in
                // Written unbuffered: one line per institution as soon as it is verified, also when
                // stdout is a pipe, and never lost by the exit(1) below.
                FileHandle.standardOutput.write(Data((line + "\n").utf8))
            }
            if code != 0 { Foundation.exit(code) }
        }
    }
}
