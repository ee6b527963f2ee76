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
                // OPS-31: a changed or missing applied file makes `migrate` refuse, `--status` too
                // (listing it as applied would hide exactly what the status is asked for).
                let status = try runtime.primary.withConnection { connection in
                    try runtime.migrator.verify(on: connection)
                    return try runtime.migrator.status(on: connection)
                }
                return status.map { ($0.applied ? "applied " : "pending ") + $0.migration.name }
            } catch {
                throw CommandFailure(exitCode: 1, "migration failed: \(error)")
            }
        }
        return try runtime.migrate(logger: logger)
    }
}
