import HTTPServer
import Postgres

/// `registry migrate [--status]` (operations.md OPS-21).
public enum MigrateCommand {
    /// The stdout lines: with `statusOnly`, `applied <file>` / `pending <file>` for every file;
    /// otherwise the files applied now.
    public static func run(_ configuration: RegistryConfiguration, environment: [String: String],
                           statusOnly: Bool) throws(CommandFailure) -> [String] {
        // Logs go to stderr: stdout carries only the documented list.
        let logger = JSONLogger(level: configuration.logLevel, fileDescriptor: 2)
        let runtime = try DatabaseRuntime.open(configuration, environment: environment, logger: logger, poolSize: 1)
        defer { runtime.close() }
        if statusOnly {
            do {
                let status = try runtime.primary.withConnection { try runtime.migrator.status(on: $0) }
                return status.map { ($0.applied ? "applied " : "pending ") + $0.migration.name }
            } catch {
                throw CommandFailure(exitCode: 1, "migrations: \(error)")
            }
        }
        return try runtime.migrate(logger: logger)
    }
}
