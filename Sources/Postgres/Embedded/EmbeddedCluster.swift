import Foundation
import Synchronization

/// The private PostgreSQL cluster used when `DATABASE_URL` is unset (operations.md §2, OPS-10..16).
///
/// The cluster lives in `<dataDirectory>/pg`, logs to `<dataDirectory>/pg.log`, listens only on a
/// Unix socket and trusts local connections, so only the same OS user (or root) can connect.
/// All methods are serialised by an internal lock, so one instance may be shared across threads.
public final class EmbeddedCluster: Sendable {
    /// How `pg_ctl stop` shuts the server down (`-m`).
    public enum ShutdownMode: String, Sendable {
        /// Wait for clients to disconnect.
        case smart
        /// Roll back open transactions, disconnect clients, shut down cleanly (OPS-15).
        case fast
        /// Abort at once; crash recovery runs on the next start. For throw-away test clusters.
        case immediate
    }

    /// The superuser created by initdb and used by the registry.
    public static let userName = "registry"
    /// The database the registry uses.
    public static let databaseName = "registry"
    /// The port in the socket file name `.s.PGSQL.<port>` (TCP is off).
    public static let port = 5432

    /// Absolute `REGISTRY_DATA_DIR`.
    public var dataDirectory: String { layout.dataDirectory }
    /// `<dataDirectory>/pg`.
    public var clusterDirectory: String { layout.clusterDirectory }
    /// `<dataDirectory>/pg.log`.
    public var logFile: String { layout.logFile }
    /// Directory holding initdb, pg_ctl and postgres.
    public let binDirectory: String

    private let layout: ClusterLayout
    private let log: @Sendable (String) -> Void
    private let state = Mutex(State())

    private struct State {
        var startedByThisProcess = false
        var socketDirectory: String?
        var port = EmbeddedCluster.port
        /// A /tmp socket directory this instance made (OPS-13), reused across restarts.
        var temporarySocketDirectory: String?
        /// Set when running as root.
        var clusterUser: UnprivilegedUser?
    }

    /// - Parameters:
    ///   - dataDirectory: `REGISTRY_DATA_DIR`; relative paths are resolved against the current directory.
    ///   - binDirectory: from `PostgresBinaries.locate`.
    ///   - log: receives one line per step (never secrets: there are none in embedded mode). It is
    ///     called while the cluster's lock is held, so it must not call back into this cluster.
    public init(dataDirectory: String, binDirectory: String, log: @escaping @Sendable (String) -> Void) {
        self.layout = ClusterLayout(dataDirectory: dataDirectory)
        self.binDirectory = binDirectory
        self.log = log
    }

    /// True when this instance started the server that is running now; only then does `stop()`
    /// stop it (OPS-14, OPS-15).
    public var startedByThisProcess: Bool {
        state.withLock { $0.startedByThisProcess }
    }

    /// The socket directory of the running cluster, once `start()` has succeeded.
    public var socketDirectory: String? {
        state.withLock { $0.socketDirectory }
    }

    /// Key=value conninfo for `database` on this cluster, once `start()` has succeeded.
    public func conninfo(database: String) -> String? {
        state.withLock { state in
            state.socketDirectory.map {
                EmbeddedConninfo.make(socketDirectory: $0, port: state.port, user: Self.userName, database: database)
            }
        }
    }

    /// Initialises the cluster if needed (OPS-12), starts it or reuses a running one (OPS-13,
    /// OPS-14), creates database `registry` if absent, and returns that database's conninfo.
    /// - Throws: `EmbeddedClusterError` with a message for the operator (the caller exits 1).
    public func start() throws -> String {
        try state.withLock { state in
            try layout.validate()
            if let running = runningServer() {
                log("reusing the PostgreSQL server already running for \(layout.clusterDirectory) (pid \(running.pid))")
                state.socketDirectory = running.socketDirectory
                state.port = running.port
                try createRegistryDatabaseIfAbsent(socketDirectory: running.socketDirectory, port: running.port)
                return conninfo(state, database: Self.databaseName)
            }
            if geteuid() == 0, state.clusterUser == nil {
                state.clusterUser = try UnprivilegedUser.resolveForRoot(log: log)
            }
            let user = state.clusterUser
            if let user { log("running as root: the embedded PostgreSQL runs as user \(user.name)") }
            try prepareDataDirectory(for: user)
            if !ClusterFilesystem.exists(layout.versionFile) {
                try initialiseCluster(as: user)
            }
            let socketDirectory = try prepareSocketDirectory(&state, for: user)
            try startServer(socketDirectory: socketDirectory, as: user)
            state.startedByThisProcess = true
            state.socketDirectory = socketDirectory
            state.port = Self.port
            do {
                try createRegistryDatabaseIfAbsent(socketDirectory: socketDirectory, port: Self.port)
            } catch {
                // Do not leave a server behind that the caller will never stop.
                try? stopServer(&state, mode: .fast)
                throw error
            }
            return conninfo(state, database: Self.databaseName)
        }
    }

    /// Stops the server with `pg_ctl stop -m fast -w` if this instance started it (OPS-15);
    /// otherwise leaves it running.
    public func stop() throws {
        try stop(mode: .fast)
    }

    /// Stops the server with the given shutdown mode if this instance started it.
    public func stop(mode: ShutdownMode) throws {
        try state.withLock { state in
            guard state.startedByThisProcess else {
                log("leaving the PostgreSQL server for \(layout.clusterDirectory) running: this process did not start it")
                return
            }
            try stopServer(&state, mode: mode)
        }
    }

    // MARK: - Steps

    private func conninfo(_ state: State, database: String) -> String {
        EmbeddedConninfo.make(
            socketDirectory: state.socketDirectory ?? layout.preferredSocketDirectory,
            port: state.port, user: Self.userName, database: database
        )
    }

    /// A live postmaster for our cluster: a postmaster.pid whose PID exists and whose socket accepts
    /// a connection (a stale pid file left by a crash fails one of the two).
    private func runningServer() -> PostmasterPidFile? {
        guard let pidFile = PostmasterPidFile.read(inDataDirectory: layout.clusterDirectory),
              pidFile.processExists
        else { return nil }
        let probe = EmbeddedConninfo.make(
            socketDirectory: pidFile.socketDirectory, port: pidFile.port, user: Self.userName, database: "postgres"
        ) + " connect_timeout=5"
        return BootstrapConnection.canConnect(conninfo: probe) ? pidFile : nil
    }

    /// Creates the data and cluster directories (0700) and, as root, hands them to the cluster user.
    private func prepareDataDirectory(for user: UnprivilegedUser?) throws {
        let createdDataDirectory = try ClusterFilesystem.createDirectory(layout.dataDirectory, mode: 0o700)
        let needsInitdb = !ClusterFilesystem.exists(layout.versionFile)
        if needsInitdb {
            try ClusterFilesystem.createDirectory(layout.clusterDirectory, mode: 0o700)
        }
        guard let user else { return }
        if !user.canWrite(layout.dataDirectory) {
            // Only a directory we made, or one holding nothing but our own files, is given away:
            // chown-ing an arbitrary existing directory as root would be a nasty surprise.
            guard createdDataDirectory || ClusterFilesystem.holdsOnlyClusterEntries(layout.dataDirectory) else {
                throw EmbeddedClusterError(
                    "REGISTRY_DATA_DIR \(layout.dataDirectory) is not writable by user \(user.name), which runs "
                        + "the embedded PostgreSQL; choose a REGISTRY_DATA_DIR it can write or set DATABASE_URL"
                )
            }
            try user.takeOwnership(of: layout.dataDirectory)
        }
        if needsInitdb { try user.takeOwnership(of: layout.clusterDirectory) }
        if let owner = ClusterFilesystem.ownerAndMode(layout.logFile), owner.uid != user.uid {
            try user.takeOwnership(of: layout.logFile)
        }
        // OPS-10/OPS-14: as root in a private directory (mkdtemp and friends make 0700), the cluster
        // user could not even reach the data directory. A directory of our own on the way gets
        // search permission for others (o+x: enter, not list), said in the log; a directory of
        // someone else's is left alone and is an error.
        var granted: Set<String> = []
        while let blocked = user.firstUnreachableComponent(of: layout.dataDirectory), !granted.contains(blocked),
              ClusterFilesystem.grantSearchToOthers(blocked, ownedBy: geteuid()) {
            granted.insert(blocked)
            log("gave others search permission (o+x) on \(blocked), so that user \(user.name) can reach the data directory")
        }
        if let blocked = user.firstUnreachableComponent(of: layout.dataDirectory) {
            throw EmbeddedClusterError(
                "user \(user.name), which runs the embedded PostgreSQL, cannot reach \(layout.dataDirectory) "
                    + "(no search permission on \(blocked)); choose a REGISTRY_DATA_DIR it can reach or set DATABASE_URL"
            )
        }
    }

    /// OPS-12.
    private func initialiseCluster(as user: UnprivilegedUser?) throws {
        log("initialising a PostgreSQL cluster in \(layout.clusterDirectory)")
        let result = try ClusterCommand.run(binDirectory + "/initdb", [
            "-D", layout.clusterDirectory, "-U", Self.userName,
            "--encoding=UTF8", "--locale=C", "--auth=trust",
        ], as: user)
        guard result.status == 0 else {
            throw EmbeddedClusterError("initdb failed (exit status \(result.status)):\n\(result.combinedOutput)")
        }
    }

    /// OPS-13: `<dir>/run` when short enough, else a private directory under /tmp that this
    /// instance keeps for later restarts.
    private func prepareSocketDirectory(_ state: inout State, for user: UnprivilegedUser?) throws -> String {
        let owner = user?.uid ?? geteuid()
        if layout.preferredSocketDirectoryFits {
            let directory = layout.preferredSocketDirectory
            try ClusterFilesystem.createDirectory(directory, mode: 0o700)
            try ClusterFilesystem.setMode(directory, 0o700)
            if let user, ClusterFilesystem.ownerAndMode(directory)?.uid != owner { try user.takeOwnership(of: directory) }
            return directory
        }
        if let previous = state.temporarySocketDirectory, try reclaimTemporaryDirectory(previous, owner: owner, user: user) {
            return previous
        }
        let directory = try ClusterFilesystem.makeTemporaryDirectory(prefix: "registry-pg")
        if let user { try user.takeOwnership(of: directory) }
        state.temporarySocketDirectory = directory
        log("data directory path is too long for a Unix socket; using socket directory \(directory)")
        return directory
    }

    /// Re-creates a /tmp socket directory removed by `stop()`. A directory of that name that is not
    /// ours (someone else may have taken the name meanwhile) is never used.
    private func reclaimTemporaryDirectory(_ path: String, owner: uid_t, user: UnprivilegedUser?) throws -> Bool {
        if mkdir(path, 0o700) == 0 {
            try ClusterFilesystem.setMode(path, 0o700)
            if let user { try user.takeOwnership(of: path) }
            return true
        }
        guard let existing = ClusterFilesystem.ownerAndMode(path) else { return false }
        return existing.isDirectory && existing.uid == owner && existing.mode == 0o700
    }

    /// OPS-13 start command; on failure OPS-14 wants the tail of pg.log in the message.
    private func startServer(socketDirectory: String, as user: UnprivilegedUser?) throws {
        log("starting PostgreSQL (socket directory \(socketDirectory), log \(layout.logFile))")
        let options = "-c listen_addresses='' -c unix_socket_directories='\(socketDirectory)' -p \(Self.port)"
        let result = try ClusterCommand.run(binDirectory + "/pg_ctl", [
            "-D", layout.clusterDirectory, "-l", layout.logFile, "-w", "-t", "60", "start", "-o", options,
        ], as: user)
        guard result.status == 0 else {
            throw EmbeddedClusterError(
                "embedded PostgreSQL failed to start (pg_ctl exit status \(result.status)):\n\(result.combinedOutput)\n"
                    + "last lines of \(layout.logFile):\n"
                    + ClusterFilesystem.lastLines(of: layout.logFile, count: 20)
            )
        }
    }

    /// Connects to database `postgres` and creates `registry` unless it exists. A concurrent
    /// creator winning the race (SQLSTATE 42P04, duplicate database) is fine.
    private func createRegistryDatabaseIfAbsent(socketDirectory: String, port: Int) throws {
        let maintenance = EmbeddedConninfo.make(
            socketDirectory: socketDirectory, port: port, user: Self.userName, database: "postgres"
        )
        let connection = try connectPatiently(conninfo: maintenance)
        if try connection.hasRows("SELECT 1 FROM pg_database WHERE datname = $1", [Self.databaseName]) {
            return
        }
        log("creating database \(Self.databaseName)")
        if let failure = connection.command("CREATE DATABASE \(Self.databaseName)"), failure.sqlState != "42P04" {
            throw EmbeddedClusterError("cannot create database \(Self.databaseName): \(failure.message)")
        }
    }

    /// pg_ctl -w returns once the server reports ready, but allow a few seconds of slack before
    /// giving up on the first connection.
    private func connectPatiently(conninfo: String) throws -> BootstrapConnection {
        var attempt = 0
        while true {
            do {
                return try BootstrapConnection(conninfo: conninfo)
            } catch {
                attempt += 1
                if attempt >= 50 { throw error }
                usleep(100_000)
            }
        }
    }

    private func stopServer(_ state: inout State, mode: ShutdownMode) throws {
        log("stopping PostgreSQL in \(layout.clusterDirectory) (mode \(mode.rawValue))")
        let result = try ClusterCommand.run(binDirectory + "/pg_ctl", [
            "-D", layout.clusterDirectory, "-m", mode.rawValue, "-w", "-t", "60", "stop",
        ], as: state.clusterUser)
        let stillRunning = PostmasterPidFile.read(inDataDirectory: layout.clusterDirectory)?.processExists ?? false
        guard result.status == 0 || !stillRunning else {
            throw EmbeddedClusterError("pg_ctl stop failed (exit status \(result.status)):\n\(result.combinedOutput)")
        }
        state.startedByThisProcess = false
        if let temporary = state.temporarySocketDirectory {
            // Empty once the server has removed its socket; a failure here only leaves litter in /tmp.
            rmdir(temporary)
        }
    }
}
