import CryptoSupport
import Formats
import HTTPServer
import Postgres
import RegistryCore

/// `registry demo-data` (operations.md OPS-26, OPS-80): institutions, users with passwords and keys
/// (printed once), three ingested objects recorded as the workers record an ingest (domain.md §8.2),
/// one failed fixity check and one pending Ingest item. A second run changes nothing.
public enum DemoDataCommand {
    /// The credentials table for stdout, or nil when the demo data was already there.
    public static func run(_ configuration: RegistryConfiguration, environment: [String: String]) throws(CommandFailure) -> String? {
        let logger = JSONLogger(level: configuration.logLevel == .debug ? .debug : .warn, fileDescriptor: 2)
        let runtime = try DatabaseRuntime.open(configuration, environment: environment, logger: logger, poolSize: 2)
        defer { runtime.close() }
        if configuration.migrateOnStart { _ = try runtime.migrate(logger: logger) }
        do {
            if try runtime.database.read({ try isPresent(on: $0) }) { return nil }
            let credentials = try DemoDataWriter(database: runtime.database, configuration: configuration).write()
            return table(credentials)
        } catch let error as RegistryError {
            throw CommandFailure(exitCode: 1, CommandMessages.describe(error))
        } catch let failure as CommandFailure {
            throw failure
        } catch {
            throw CommandFailure(exitCode: 1, "demo data: \(error)")
        }
    }

    /// Present when its first institution exists; a partial set (a run that failed midway) is an error
    /// rather than something to patch up.
    private static func isPresent(on connection: PGConnection) throws -> Bool {
        let result = try connection.query("""
            SELECT (SELECT count(*) FROM institutions WHERE identifier = 'aptrust.org'),
                   (SELECT count(*) FROM work_items WHERE name = 'demo-bag-4.tar')
            """)
        let institution = try result.int64(0, 0) ?? 0
        let lastItem = try result.int64(0, 1) ?? 0
        if institution > 0 && lastItem == 0 {
            throw CommandFailure(exitCode: 1, "partial demo data found (an earlier run failed); use a fresh database")
        }
        return institution > 0
    }

    private static func table(_ credentials: [DemoDataWriter.Credential]) -> String {
        let emailWidth = max(5, credentials.map(\.email.count).max() ?? 0)
        let roleWidth = max(4, credentials.map(\.role.count).max() ?? 0)
        func pad(_ text: String, _ width: Int) -> String { text + String(repeating: " ", count: max(0, width - text.count)) }
        var lines = [pad("email", emailWidth) + "  " + pad("role", roleWidth) + "  password              api key"]
        for credential in credentials {
            lines.append(pad(credential.email, emailWidth) + "  " + pad(credential.role, roleWidth) + "  "
                         + credential.password + "  " + credential.apiKey)
        }
        return lines.joined(separator: "\n")
    }
}
