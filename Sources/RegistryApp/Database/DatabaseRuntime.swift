#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Dispatch
import HTTPServer
import Locks
import Postgres
import RegistryCore

/// The database a command works on: the configured one, or the embedded cluster (OPS-10), with its
/// pools and the migrator.
public final class DatabaseRuntime: Sendable {
    public let database: Database
    public let migrator: Migrator
    private let embedded: EmbeddedCluster?

    public var primary: PostgresPool { database.primary }

    private init(database: Database, migrator: Migrator, embedded: EmbeddedCluster?) {
        self.database = database
        self.migrator = migrator
        self.embedded = embedded
    }

    /// Opens the database: starts the embedded cluster when DATABASE_URL is unset, then waits up to
    /// `waitSeconds` for it to answer (OPS-66). `stopRequested` (a signal arrived) ends that wait
    /// early with exit 0, the cluster stopped (OPS-15).
    public static func open(_ configuration: RegistryConfiguration, environment: [String: String], logger: JSONLogger,
                            waitSeconds: Int = 60, poolSize: Int? = nil,
                            stopRequested: @escaping @Sendable () -> Bool = { false }) throws(CommandFailure) -> DatabaseRuntime {
        let migrator = try loadMigrator(configuration)
        var embedded: EmbeddedCluster?
        let connectionString: String
        if let url = configuration.databaseURL {
            connectionString = url.string
        } else {
            do {
                let binaries = try PostgresBinaries.locate(pgBinDir: configuration.postgresBinDirectory,
                                                           environmentPath: environment["PATH"])
                if let asked = configuration.postgresBinDirectory, asked != binaries {
                    // OPS-11: "first hit wins", so a PG_BIN_DIR without the binaries is passed over;
                    // an operator who set it should hear that it was.
                    logger.warn("PG_BIN_DIR holds no initdb, pg_ctl and postgres; using another installation",
                                ["PG_BIN_DIR": .string(asked), "using": .string(binaries)])
                }
                let cluster = EmbeddedCluster(dataDirectory: configuration.dataDirectory, binDirectory: binaries) { line in
                    logger.info(line, ["component": .string("embedded-postgres")])
                }
                connectionString = try cluster.start()
                embedded = cluster
            } catch {
                throw CommandFailure(exitCode: 1, String(describing: error))
            }
        }
        let primary = PostgresPool(PostgresPoolConfiguration(
            connection: PGConnectionSettings(connectionString: connectionString,
                                             statementTimeoutMs: configuration.databaseStatementTimeoutMilliseconds),
            maximumConnections: poolSize ?? configuration.databasePoolSize,
            acquireTimeout: .milliseconds(configuration.databaseAcquireTimeoutMilliseconds),
            name: "primary"))
        let replica = configuration.databaseReadURL.map { url in
            PostgresPool(PostgresPoolConfiguration(
                connection: PGConnectionSettings(connectionString: url.string,
                                                 statementTimeoutMs: configuration.databaseStatementTimeoutMilliseconds),
                maximumConnections: configuration.databasePoolSize,
                acquireTimeout: .milliseconds(configuration.databaseAcquireTimeoutMilliseconds),
                name: "replica"))
        }
        let runtime = DatabaseRuntime(database: Database(primary: primary, replica: replica), migrator: migrator,
                                      embedded: embedded)
        switch waitForPrimary(primary, seconds: waitSeconds, logger: logger, stopRequested: stopRequested) {
        case .answered:
            return runtime
        case .timedOut:
            runtime.close()
            throw CommandFailure(exitCode: 1, "database not reachable within \(waitSeconds) s")
        case .stopped:
            runtime.close()
            throw CommandFailure(exitCode: 0, "stopped by a signal while waiting for the database")
        }
    }

    private enum WaitOutcome { case answered, timedOut, stopped }

    /// Pings the primary until it answers, for at most `seconds` (OPS-66).
    ///
    /// Why the pings run on a thread of their own: one connection attempt to a host that drops
    /// packets blocks for libpq's `connect_timeout` (5 s), so a loop that checks its deadline between
    /// pings overran the 60 s by up to that much. The deadline is kept by this wait instead; a ping
    /// still in flight when it passes is abandoned (the process exits right after).
    private static func waitForPrimary(_ primary: PostgresPool, seconds: Int, logger: JSONLogger,
                                       stopRequested: () -> Bool) -> WaitOutcome {
        let answered = DispatchSemaphore(value: 0)
        let abandoned = PlainLock(false)
        DispatchQueue.global().async {
            while !primary.ping(timeout: .seconds(1)) {
                if abandoned.withLock({ $0 }) { return }
                logger.warn("waiting for the database")
                usleep(500_000)
            }
            answered.signal()
        }
        let deadline = DispatchTime.now() + .seconds(seconds)
        while true {
            // Short slices, so that a signal is honoured within a tenth of a second.
            if answered.wait(timeout: min(deadline, .now() + .milliseconds(100))) == .success { return .answered }
            let outcome: WaitOutcome? = DispatchTime.now() >= deadline ? .timedOut : stopRequested() ? .stopped : nil
            if let outcome {
                abandoned.withLock { $0 = true }
                return outcome
            }
        }
    }

    /// MIGRATIONS_DIR or the migrations compiled into the binary (OPS-30).
    private static func loadMigrator(_ configuration: RegistryConfiguration) throws(CommandFailure) -> Migrator {
        do {
            if let directory = configuration.migrationsDirectory {
                return Migrator(migrations: try MigrationSource.load(directory: directory))
            }
            return Migrator(migrations: try MigrationSource.embedded(EmbeddedMigrations.files))
        } catch {
            throw CommandFailure(exitCode: 1, String(describing: error))
        }
    }

    /// Applies pending migrations (OPS-30..32); a changed or missing file refuses (exit 1).
    public func migrate(logger: JSONLogger) throws(CommandFailure) -> [String] {
        do {
            let applied = try primary.withConnection { connection in try migrator.migrate(on: connection) }
            for name in applied { logger.info("migration applied", ["file": .string(name)]) }
            return applied
        } catch {
            throw CommandFailure(exitCode: 1, "migration failed: \(error)")
        }
    }

    /// Closes the pools and stops an embedded cluster this process started (OPS-15).
    public func close() {
        closePools()
        stopEmbeddedCluster()
    }

    /// Closes the pools' idle sessions; sessions still leased close when returned.
    public func closePools() {
        database.replica?.shutdown()
        database.primary.shutdown()
    }

    public func stopEmbeddedCluster() {
        try? embedded?.stop()
    }
}
