import Postgres
import RegistryApp

/// The database to load: `DATABASE_URL`, or the embedded cluster of `REGISTRY_DATA_DIR` (started
/// here if no server runs on it, and then stopped again at the end), exactly as `registry` finds it.
final class BenchDatabase {
    let connection: PGConnection
    private let cluster: EmbeddedCluster?

    init(environment: [String: String]) throws {
        let configuration = try RegistryConfiguration.load(from: environment)
        let conninfo: String
        if let url = configuration.databaseURL {
            conninfo = url.string
            cluster = nil
        } else {
            let binaries = try PostgresBinaries.locate(pgBinDir: configuration.postgresBinDirectory,
                                                       environmentPath: environment["PATH"])
            let embedded = EmbeddedCluster(dataDirectory: configuration.dataDirectory, binDirectory: binaries) { line in
                say("embedded PostgreSQL: \(line)")
            }
            conninfo = try embedded.start()
            cluster = embedded
        }
        connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo, applicationName: "bench-data"))
        // A load runs for minutes; index builds want memory; a lost load is simply rerun.
        try connection.execute("""
            SET statement_timeout = 0; SET maintenance_work_mem = '1GB'; SET synchronous_commit = off
            """)
    }

    func close() {
        try? cluster?.stop()
    }

    /// True when `table` exists.
    func exists(_ table: String) throws -> Bool {
        try connection.query("SELECT to_regclass(\(table)) IS NOT NULL").bool(0, 0) ?? false
    }

    func count(_ sql: String) throws -> Int64 {
        try connection.execute(sql).int64(0, 0) ?? 0
    }
}
