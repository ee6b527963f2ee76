// TEMPORARY: stand-in for TestSupport.TestPostgres / TestCluster (branch h/embedded), same API
// subset. Delete after merging h/embedded.
import Foundation
import Postgres

enum TestPostgres {
    private static let counter = Counter()

    static func freshDatabase(prefix: String = "t") throws -> String {
        // The developer's cluster (see task notes), until h/embedded provides the real fixture.
        let base = "host=/tmp/pgdev-b user=registry"
        let name = "\(prefix)_\(getpid())_\(counter.next())"
        let admin = try PGConnection.connect(PGConnectionSettings(connectionString: base + " dbname=postgres"))
        try admin.execute("CREATE DATABASE \(name) TEMPLATE template0")
        return base + " dbname=\(name)"
    }
}

final class Counter: Sendable {
    private let value = Mutex2(0)
    func next() -> Int { value.increment() }
}

final class Mutex2: @unchecked Sendable {
    private var value: Int
    private let lock = NSLock()
    init(_ value: Int) { self.value = value }
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}

final class TestCluster: Sendable {
    let dataDirectory: String
    let socketDirectory: String

    private init(root: String) {
        dataDirectory = root + "/pg"
        socketDirectory = root
    }

    static func dedicated() throws -> TestCluster {
        var template = Array("/tmp/pgtest-XXXXXX".utf8CString)
        guard let pointer = mkdtemp(&template) else { throw TestClusterError("mkdtemp failed") }
        let root = String(cString: pointer)
        try run("/bin/chown", ["postgres", root])
        try run("/usr/sbin/runuser", ["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/initdb", "-D", root + "/pg",
                                      "-U", "registry", "--auth=trust", "-E", "UTF8", "--locale=C"])
        let cluster = TestCluster(root: root)
        try cluster.start()
        return cluster
    }

    func conninfo(database: String) -> String {
        "host=\(socketDirectory) port=5432 user=registry dbname=\(database)"
    }

    func start() throws {
        try TestCluster.run("/usr/sbin/runuser", ["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", dataDirectory,
                                                  "-l", socketDirectory + "/pg.log", "-w", "start", "-o",
                                                  "-c listen_addresses='' -c unix_socket_directories=\(socketDirectory) -p 5432 -c max_connections=300"])
    }

    func stop() throws {
        try TestCluster.run("/usr/sbin/runuser", ["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", dataDirectory,
                                                  "-w", "-m", "fast", "stop"])
    }

    func remove() {
        try? TestCluster.run("/usr/sbin/runuser", ["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "-D", dataDirectory,
                                                   "-w", "-m", "immediate", "stop"])
        try? FileManager.default.removeItem(atPath: socketDirectory)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw TestClusterError("\(executable) \(arguments) exited \(process.terminationStatus)")
        }
    }
}

struct TestClusterError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
