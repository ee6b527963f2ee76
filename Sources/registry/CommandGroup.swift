import ArgumentParser
import RegistryApp

/// A command that only groups subcommands (`registry create`, `registry institution`, …). Called
/// without one, it is a usage error: exit 2 with the usage on stderr (operations.md §3, OPS-22a
/// "missing IDENT or another verb → exit 2"), not ArgumentParser's help on stdout with exit 0.
protocol CommandGroup: ParsableCommand {}

extension CommandGroup {
    func run() throws {
        throw CommandFailure(exitCode: 2, "missing subcommand\n\n" + Self.helpMessage())
    }
}
