import Foundation
import Postgres

/// A PostgreSQL cluster owned by the test process: the product's `EmbeddedCluster` (so tests run
/// the same start-up code as `registry serve`) in a temporary directory under /tmp.
public final class TestCluster: Sendable {
    /// The temporary `REGISTRY_DATA_DIR` of this cluster.
    public let dataDirectory: String
    /// The product object underneath.
    public let embedded: EmbeddedCluster
    /// Conninfo of database `postgres`, fixed at first start (restarts reuse the socket directory).
    private let maintenanceConninfo: String
    private let initialSocketDirectory: String

    /// A cluster of its own, for tests that stop or restart it. Call `remove()` when done; any
    /// left over are stopped and deleted at process exit.
    public static func dedicated() throws -> TestCluster {
        try TestCluster(directoryPrefix: "registry-test-pg")
    }

    init(directoryPrefix: String) throws {
        let directory = try TestCluster.makeTemporaryDirectory(prefix: directoryPrefix)
        let binDirectory: String
        do {
            let environment = ProcessInfo.processInfo.environment
            binDirectory = try PostgresBinaries.locate(
                pgBinDir: environment["PG_BIN_DIR"], environmentPath: environment["PATH"]
            )
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
        let embedded = EmbeddedCluster(dataDirectory: directory, binDirectory: binDirectory, log: TestCluster.log)
        self.dataDirectory = directory
        self.embedded = embedded
        TestClusterReaper.shared.track(embedded)
        do {
            _ = try embedded.start()
        } catch {
            TestClusterReaper.shared.reap(embedded)
            throw error
        }
        guard let socketDirectory = embedded.socketDirectory,
              let conninfo = embedded.conninfo(database: "postgres")
        else {
            TestClusterReaper.shared.reap(embedded)
            throw EmbeddedClusterError("the test cluster in \(directory) started without a socket directory")
        }
        self.initialSocketDirectory = socketDirectory
        self.maintenanceConninfo = conninfo
    }

    /// Key=value conninfo for `database` on this cluster.
    public func conninfo(database: String) -> String {
        embedded.conninfo(database: database)
            ?? maintenanceConninfo.replacingOccurrences(of: "dbname=postgres", with: "dbname=\(database)")
    }

    /// The socket directory in use.
    public var socketDirectory: String {
        embedded.socketDirectory ?? initialSocketDirectory
    }

    /// `pg_ctl stop -m fast`.
    public func stop() throws {
        try embedded.stop(mode: .fast)
    }

    /// Starts the cluster again (same data and socket directory).
    public func start() throws {
        _ = try embedded.start()
    }

    /// Sends `signal` to the postmaster and all of its children: SIGSTOP makes the database hang
    /// (connections stay open, nothing answers), SIGCONT lets it go on.
    public func signalAllProcesses(_ signal: Int32) throws {
        let pidFile = try String(contentsOfFile: dataDirectory + "/pg/postmaster.pid", encoding: .utf8)
        guard let postmaster = pidFile.split(separator: "\n").first.flatMap({ Int32($0) }) else {
            throw EmbeddedClusterError("no postmaster pid in \(dataDirectory)/pg/postmaster.pid")
        }
        var children: [Int32] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                  let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                  let afterName = stat.range(of: ") ", options: .backwards)
            else { continue }
            // Fields after the command name: state, then the parent pid.
            let fields = stat[afterName.upperBound...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == postmaster { children.append(pid) }
        }
        // The postmaster first on SIGSTOP (it can then start no new child), last on SIGCONT.
        let order = signal == SIGCONT ? children + [postmaster] : [postmaster] + children
        for pid in order { kill(pid, signal) }
    }

    /// Stops the cluster (if running) and deletes its directory.
    public func remove() {
        TestClusterReaper.shared.reap(embedded, mode: .fast)
    }

    /// Creates an empty database (from template0, so nothing added to template1 leaks in) and
    /// returns its conninfo.
    public func createDatabase(named name: String) throws -> String {
        let connection = try TestSQLConnection(conninfo: conninfo(database: "postgres"))
        try connection.query("CREATE DATABASE \(TestSQLConnection.quoteIdentifier(name)) TEMPLATE template0")
        return conninfo(database: name)
    }

    /// Cluster start-up lines go to stderr only when asked for, to keep test output readable; a
    /// failed start carries its own explanation in the thrown error.
    static let log: @Sendable (String) -> Void = { line in
        if ProcessInfo.processInfo.environment["TEST_POSTGRES_VERBOSE"] != nil {
            FileHandle.standardError.write(Data("[test-postgres] \(line)\n".utf8))
        }
    }

    static func makeTemporaryDirectory(prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        guard template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) != nil else {
            throw EmbeddedClusterError("cannot create a temporary directory: \(String(cString: strerror(errno)))")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }
}
