import Foundation
import Synchronization
@testable import Postgres
import Testing
import TestSupport

// Tests of the embedded cluster (operations.md §2, OPS-10..16) and of the TestPostgres fixture
// built on it. They run as root on this machine and in CI, so they also cover OPS-14's root path.

/// A directory under /tmp removed (with whatever a test left in it) when the test ends.
private final class ScratchDirectory {
    let path: String

    init(_ prefix: String = "registry-embedded-test") throws {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(created != nil)
        path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        // mkdtemp makes it 0700; as root that would hide everything inside from the cluster user.
        chmod(path, 0o755)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// Writes an executable shell script (a fake PostgreSQL binary) and returns its path.
    @discardableResult
    func script(_ relativePath: String, _ body: String = "exit 0", mode: Int = 0o755) throws -> String {
        let file = path + "/" + relativePath
        try FileManager.default.createDirectory(
            atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true
        )
        try "#!/bin/sh\n\(body)\n".write(toFile: file, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: mode], ofItemAtPath: file)
        return file
    }

    /// A directory holding fake initdb, pg_ctl and postgres (minus `omitting`).
    @discardableResult
    func fakeBinDirectory(_ relativePath: String, omitting: String? = nil) throws -> String {
        for name in PostgresBinaries.requiredExecutables where name != omitting {
            try script(relativePath + "/" + name)
        }
        return path + "/" + relativePath
    }
}

@Suite("Binary discovery (OPS-11)")
struct PostgresBinariesTests {
    private func locate(_ scratch: ScratchDirectory, pgBinDir: String? = nil, path: String?) throws -> String {
        try PostgresBinaries.locate(
            pgBinDir: pgBinDir, environmentPath: path,
            versionedInstallRoot: scratch.path + "/usr/lib/postgresql",
            fallbackDirectory: scratch.path + "/usr/local/pgsql/bin"
        )
    }

    @Test("OPS-11: PG_BIN_DIR wins over everything else")
    func pgBinDirFirst() throws {
        let scratch = try ScratchDirectory()
        let explicit = try scratch.fakeBinDirectory("explicit")
        let onPath = try scratch.fakeBinDirectory("onpath")
        try scratch.fakeBinDirectory("usr/lib/postgresql/16/bin")
        #expect(try locate(scratch, pgBinDir: explicit, path: onPath) == explicit)
    }

    @Test("OPS-11: an incomplete PG_BIN_DIR is not a hit; the search goes on to PATH")
    func incompletePgBinDir() throws {
        let scratch = try ScratchDirectory()
        let incomplete = try scratch.fakeBinDirectory("explicit", omitting: "postgres")
        let onPath = try scratch.fakeBinDirectory("onpath")
        #expect(try locate(scratch, pgBinDir: incomplete, path: onPath) == onPath)
    }

    @Test("OPS-11: the first pg_ctl on PATH, symlink resolved, so initdb is found next to its target")
    func pgCtlOnPathResolvesSymlinks() throws {
        let scratch = try ScratchDirectory()
        let realBin = try scratch.fakeBinDirectory("usr/lib/postgresql/15/bin")
        try FileManager.default.createDirectory(atPath: scratch.path + "/localbin", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: scratch.path + "/localbin/pg_ctl", withDestinationPath: realBin + "/pg_ctl")
        let later = try scratch.fakeBinDirectory("later")
        let emptyDirectory = scratch.path + "/empty"
        try FileManager.default.createDirectory(atPath: emptyDirectory, withIntermediateDirectories: true)
        let path = [emptyDirectory, scratch.path + "/localbin", later].joined(separator: ":")
        #expect(try locate(scratch, path: path) == realBin)
    }

    @Test("OPS-11: pg_config --bindir comes after PATH and before /usr/lib/postgresql")
    func pgConfigBindir() throws {
        let scratch = try ScratchDirectory()
        let configured = try scratch.fakeBinDirectory("configured")
        try scratch.script("tools/pg_config", "[ \"$1\" = --bindir ] && echo '\(configured)'")
        try scratch.fakeBinDirectory("usr/lib/postgresql/16/bin")
        #expect(try locate(scratch, path: scratch.path + "/tools") == configured)
    }

    @Test("OPS-11: highest-numbered /usr/lib/postgresql/<major>/bin, numeric not string order")
    func highestNumberedMajor() throws {
        let scratch = try ScratchDirectory()
        try scratch.fakeBinDirectory("usr/lib/postgresql/9.6/bin")
        let ten = try scratch.fakeBinDirectory("usr/lib/postgresql/10/bin")
        try scratch.fakeBinDirectory("usr/lib/postgresql/17/bin", omitting: "initdb")  // incomplete: skipped
        try scratch.fakeBinDirectory("usr/lib/postgresql/notaversion/bin")
        try scratch.script("tools/pg_config", "echo /nonexistent")  // pg_config pointing nowhere useful
        try scratch.fakeBinDirectory("usr/local/pgsql/bin")
        #expect(try locate(scratch, path: scratch.path + "/tools") == ten)
    }

    @Test("OPS-11: /usr/local/pgsql/bin is the last resort")
    func fallbackDirectory() throws {
        let scratch = try ScratchDirectory()
        let fallback = try scratch.fakeBinDirectory("usr/local/pgsql/bin")
        #expect(try locate(scratch, path: nil) == fallback)
    }

    @Test("OPS-11: non-executable files do not count; nothing found gives the exact message")
    func notFound() throws {
        let scratch = try ScratchDirectory()
        for name in PostgresBinaries.requiredExecutables {
            try scratch.script("usr/local/pgsql/bin/" + name, mode: 0o644)
        }
        #expect(throws: EmbeddedClusterError.binariesNotFound) {
            try locate(scratch, path: scratch.path + "/usr/local/pgsql/bin")
        }
        #expect(EmbeddedClusterError.binariesNotFound.description
            == "PostgreSQL binaries not found; set DATABASE_URL or PG_BIN_DIR")
    }

    @Test("OPS-14: the message when no unprivileged user exists is exact")
    func rootMessage() {
        #expect(EmbeddedClusterError.cannotRunAsRoot.description
            == "embedded PostgreSQL cannot run as root; set DATABASE_URL or create a 'postgres' user")
    }
}

@Suite("Embedded cluster parts")
struct EmbeddedClusterPartsTests {
    @Test("postmaster.pid: PID from line 1, port from line 4, socket directory from line 5")
    func pidFileParsing() throws {
        let text = "4242\n/data/pg\n1700000000\n5432\n/data/run\n\n  1234567    98765\nready   \n"
        let parsed = try #require(PostmasterPidFile(text: text))
        #expect(parsed == PostmasterPidFile(text: text))
        #expect(parsed.pid == 4242 && parsed.port == 5432 && parsed.socketDirectory == "/data/run")
        #expect(PostmasterPidFile(text: "4242\n/data/pg\n") == nil)          // still being written
        #expect(PostmasterPidFile(text: "4242\n/data/pg\n1\n5432\n\n") == nil)  // no socket
    }

    @Test("conninfo values with spaces or quotes are quoted for libpq")
    func conninfoQuoting() {
        #expect(EmbeddedConninfo.make(socketDirectory: "/d/run", port: 5432, user: "registry", database: "registry")
            == "host=/d/run port=5432 user=registry dbname=registry")
        #expect(EmbeddedConninfo.quoted("/my dir/it's") == #"'/my dir/it\'s'"#)
    }

    @Test("OPS-13: socket directory <dir>/run only while shorter than 90 bytes")
    func socketDirectoryLength() {
        let fits = ClusterLayout(dataDirectory: "/" + String(repeating: "a", count: 84))  // "/aaa…/run" = 89
        let tooLong = ClusterLayout(dataDirectory: "/" + String(repeating: "a", count: 85))
        #expect(fits.preferredSocketDirectoryFits)
        #expect(!tooLong.preferredSocketDirectoryFits)
    }

    @Test("a data directory pg_ctl's shell command could not carry safely is refused")
    func unsafeCharacters() throws {
        let cluster = EmbeddedCluster(dataDirectory: "/tmp/it's", binDirectory: "/nonexistent", log: { _ in })
        #expect(throws: EmbeddedClusterError.self) { try cluster.start() }
    }
}

/// Collects the cluster's log lines so tests can see which steps ran.
private final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    var all: [String] { lines.withLock { $0 } }
    var sink: @Sendable (String) -> Void { { [self] line in lines.withLock { $0.append(line) } } }
    func contains(_ fragment: String) -> Bool { all.contains { $0.contains(fragment) } }
}

/// Real clusters for one test. `tearDown()` stops every handle that started a server and deletes
/// the directories, so a failing expectation cannot leak a postmaster.
private final class ClusterHarness {
    let scratch: ScratchDirectory
    let binDirectory: String
    private var clusters: [EmbeddedCluster] = []

    init() throws {
        scratch = try ScratchDirectory()
        let environment = ProcessInfo.processInfo.environment
        binDirectory = try PostgresBinaries.locate(pgBinDir: environment["PG_BIN_DIR"], environmentPath: environment["PATH"])
    }

    func cluster(_ dataDirectory: String? = nil, log: LogLines = LogLines()) -> EmbeddedCluster {
        let cluster = EmbeddedCluster(
            dataDirectory: dataDirectory ?? scratch.path + "/data", binDirectory: binDirectory, log: log.sink
        )
        clusters.append(cluster)
        return cluster
    }

    func tearDown() {
        for cluster in clusters where cluster.startedByThisProcess {
            try? cluster.stop(mode: .immediate)
        }
        for cluster in clusters {
            if let socket = cluster.socketDirectory, socket.hasPrefix("/tmp/registry-pg-") {
                try? FileManager.default.removeItem(atPath: socket)
            }
        }
    }
}

private func isConnectable(_ conninfo: String) -> Bool {
    (try? TestSQLConnection(conninfo: conninfo)) != nil
}

private func ownerAndMode(_ path: String) -> (uid: uid_t, mode: mode_t)? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return (info.st_uid, info.st_mode & 0o777)
}

@Suite("Running commands as the cluster user (OPS-14)")
struct PrivilegeSwitchTests {
    /// Every switching tool present on this machine, so the fallbacks behind runuser are exercised too.
    private static var availableSwitches: [PrivilegeSwitch] {
        [
            PrivilegeSwitch.systemExecutable("runuser").map(PrivilegeSwitch.runuser),
            PrivilegeSwitch.systemExecutable("setpriv").map(PrivilegeSwitch.setpriv),
            PrivilegeSwitch.systemExecutable("su").map(PrivilegeSwitch.su),
        ].compactMap { $0 }
    }

    @Test("OPS-14: runuser, setpriv and su each run the program as the unprivileged user, arguments intact",
          .enabled(if: geteuid() == 0))
    func eachSwitchRunsAsTheUser() throws {
        let resolved = try UnprivilegedUser.resolveForRoot(log: { _ in })
        #expect(resolved.uid != 0)
        try #require(!Self.availableSwitches.isEmpty)
        for switcher in Self.availableSwitches {
            let user = UnprivilegedUser(name: resolved.name, uid: resolved.uid, gid: resolved.gid, switcher: switcher)
            let id = try ClusterCommand.run("/usr/bin/id", ["-u"], as: user)
            #expect(id.status == 0, "\(switcher): \(id.combinedOutput)")
            #expect(id.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines) == String(resolved.uid), "\(switcher)")
            let echo = try ClusterCommand.run("/bin/echo", ["it's a $HOME test", "two"], as: user)
            #expect(echo.standardOutput == "it's a $HOME test two\n", "\(switcher)")
        }
    }

    @Test("child exit status and both output streams are reported")
    func exitStatusAndOutput() throws {
        let result = try ClusterCommand.run("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"])
        #expect(result.status == 3)
        #expect(result.standardOutput == "out\n")
        #expect(result.standardError == "err\n")
        #expect(result.combinedOutput == "out\nerr")
    }

    @Test("a child that leaves a daemon behind still counts as finished (the pg_ctl start case)")
    func daemonDoesNotBlock() throws {
        let started = Date()
        let result = try ClusterCommand.run("/bin/sh", ["-c", "sleep 5 & echo spawned"])
        #expect(result.status == 0)
        #expect(Date().timeIntervalSince(started) < 4)
    }
}

@Suite("Embedded cluster lifecycle (OPS-12..15)")
struct EmbeddedClusterLifecycleTests {
    @Test("OPS-12/13/15: fresh data dir → initdb → start → database registry connectable → stop")
    func freshStartAndStop() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let log = LogLines()
        let cluster = harness.cluster(log: log)
        let dataDirectory = harness.scratch.path + "/data"

        let conninfo = try cluster.start()
        #expect(conninfo == "host=\(dataDirectory)/run port=5432 user=registry dbname=registry")
        #expect(cluster.startedByThisProcess)
        #expect(log.contains("initialising"))
        #expect(FileManager.default.fileExists(atPath: dataDirectory + "/pg/PG_VERSION"))
        #expect(FileManager.default.fileExists(atPath: dataDirectory + "/pg.log"))
        #expect(ownerAndMode(dataDirectory + "/pg")?.mode == 0o700)
        #expect(ownerAndMode(dataDirectory + "/run")?.mode == 0o700)

        let connection = try TestSQLConnection(conninfo: conninfo)
        #expect(try connection.scalar("SELECT current_database()") == "registry")
        #expect(try connection.scalar("SELECT current_user") == "registry")
        #expect(try connection.scalar("SHOW server_encoding") == "UTF8")
        #expect(try connection.scalar("SHOW lc_collate") == "C")
        #expect(try connection.scalar("SHOW listen_addresses") == "")   // TCP is off (OPS-13)

        try cluster.stop()
        #expect(!cluster.startedByThisProcess)
        #expect(!isConnectable(conninfo))
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/pg/postmaster.pid"))
    }

    @Test("OPS-14: as root, the cluster belongs to and runs as an unprivileged user", .enabled(if: geteuid() == 0))
    func rootRunsClusterAsUnprivilegedUser() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let cluster = harness.cluster()
        let conninfo = try cluster.start()
        let owner = try #require(ownerAndMode(harness.scratch.path + "/data/pg")?.uid)
        #expect(owner != 0)
        let pidFile = try #require(PostmasterPidFile.read(inDataDirectory: cluster.clusterDirectory))
        let processOwner = try #require(ownerAndMode("/proc/\(pidFile.pid)")?.uid)
        #expect(processOwner == owner)
        #expect(isConnectable(conninfo))
    }

    @Test("OPS-14: a second start reuses the running cluster, does not own it, and leaves it running on stop")
    func secondStartReuses() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let first = harness.cluster()
        let conninfo = try first.start()
        let log = LogLines()
        let second = harness.cluster(log: log)

        #expect(try second.start() == conninfo)
        #expect(!second.startedByThisProcess)
        #expect(log.contains("reusing"))
        try second.stop()
        #expect(isConnectable(conninfo))
        #expect(first.startedByThisProcess)

        try first.stop()
        #expect(!isConnectable(conninfo))
    }

    @Test("OPS-12: restarting keeps the data and does not run initdb again")
    func restartKeepsData() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let first = harness.cluster()
        let conninfo = try first.start()
        let setup = try TestSQLConnection(conninfo: conninfo)
        try setup.query("CREATE TABLE kept (n int)")
        try setup.query("INSERT INTO kept VALUES (7)")
        try first.stop()

        try #require(try first.start() == conninfo)   // same handle again
        try first.stop()

        let log = LogLines()
        let second = harness.cluster(log: log)       // a new process on an initialised directory
        #expect(try second.start() == conninfo)
        #expect(second.startedByThisProcess)
        #expect(!log.contains("initialising"))
        #expect(try TestSQLConnection(conninfo: conninfo).scalar("SELECT n FROM kept") == "7")
        try second.stop()
    }

    @Test("OPS-13: a data dir whose socket path would be 90 bytes or more gets a private /tmp socket dir")
    func longDataDirectoryUsesTemporarySocketDirectory() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let dataDirectory = harness.scratch.path + "/" + String(repeating: "long-directory-name-", count: 4) + "data"
        try #require((dataDirectory + "/run").utf8.count >= 90)
        let cluster = harness.cluster(dataDirectory)

        let conninfo = try cluster.start()
        let socketDirectory = try #require(cluster.socketDirectory)
        #expect(socketDirectory.hasPrefix("/tmp/registry-pg-"))
        #expect(conninfo == "host=\(socketDirectory) port=5432 user=registry dbname=registry")
        #expect(ownerAndMode(socketDirectory)?.mode == 0o700)
        #expect(!FileManager.default.fileExists(atPath: dataDirectory + "/run"))
        #expect(isConnectable(conninfo))

        try cluster.stop()
        #expect(!FileManager.default.fileExists(atPath: socketDirectory))   // no litter in /tmp
        #expect(try cluster.start() == conninfo)                            // restart: same socket dir
        try cluster.stop()
    }

    @Test("OPS-14: a failed start reports the tail of pg.log")
    func failedStartShowsLogTail() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let cluster = harness.cluster()
        _ = try cluster.start()
        try cluster.stop()
        let configuration = cluster.clusterDirectory + "/postgresql.conf"
        let handle = try #require(FileHandle(forWritingAtPath: configuration))
        handle.seekToEndOfFile()
        handle.write(Data("shared_buffers = 'not a size'\n".utf8))
        try handle.close()

        let error = try #require(throws: EmbeddedClusterError.self) { try cluster.start() }
        #expect(error.message.contains("last lines of \(cluster.logFile)"))
        #expect(error.message.contains("shared_buffers"))
        #expect(!cluster.startedByThisProcess)
    }

    @Test("OPS-14: a stale postmaster.pid (process gone) is not mistaken for a running cluster")
    func stalePidFile() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let cluster = harness.cluster()
        let conninfo = try cluster.start()
        try cluster.stop()
        let stale = "999999\n\(cluster.clusterDirectory)\n1700000000\n5432\n\(harness.scratch.path)/data/run\n\n 0 0\nready\n"
        try stale.write(toFile: cluster.clusterDirectory + "/postmaster.pid", atomically: true, encoding: .utf8)

        let log = LogLines()
        let again = harness.cluster(log: log)
        #expect(try again.start() == conninfo)
        #expect(again.startedByThisProcess)
        #expect(!log.contains("reusing"))
        try again.stop()
    }

    @Test("OPS-10/14: as root, a private (0700) directory of ours on the way gets o+x, and the cluster starts",
          .enabled(if: geteuid() == 0))
    func privateParentOfOurs() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let locked = harness.scratch.path + "/private"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        let log = LogLines()
        let cluster = harness.cluster(locked + "/data", log: log)
        _ = try cluster.start()
        defer { try? cluster.stop() }
        #expect(ClusterFilesystem.ownerAndMode(locked)?.mode == 0o701)
        #expect(log.contains("search permission (o+x) on \(locked)"))
    }

    @Test("OPS-14: as root, a data dir behind someone else's private directory fails with a clear message",
          .enabled(if: geteuid() == 0))
    func unreachableDataDirectory() throws {
        let harness = try ClusterHarness()
        defer { harness.tearDown() }
        let locked = harness.scratch.path + "/locked"
        try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        try #require(chown(locked, 65534, 65534) == 0)  // nobody's, not ours: never changed
        let cluster = harness.cluster(locked + "/data")

        let error = try #require(throws: EmbeddedClusterError.self) { try cluster.start() }
        #expect(error.message.contains("cannot reach"))
        #expect(error.message.contains(locked))
        #expect(error.message.contains("REGISTRY_DATA_DIR"))
        #expect(!cluster.startedByThisProcess)
        #expect(ClusterFilesystem.ownerAndMode(locked)?.mode == 0o700)
    }
}

@Suite("TestPostgres fixture (OPS-16)")
struct TestPostgresFixtureTests {
    @Test("freshDatabase gives distinct, empty, UTF8/C databases on one shared cluster")
    func freshDatabases() throws {
        let first = try TestPostgres.freshDatabase()
        let second = try TestPostgres.freshDatabase(prefix: "other")
        #expect(first != second)
        #expect(second.contains("dbname=other_"))
        let connection = try TestSQLConnection(conninfo: first)
        #expect(try connection.scalar("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'") == "0")
        #expect(try connection.scalar("SHOW lc_collate") == "C")
        #expect(try TestPostgres.sharedCluster() === TestPostgres.sharedCluster())
    }

    @Test("freshDatabase is safe to call from parallel tests")
    func parallelFreshDatabases() async throws {
        let names = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<6 { group.addTask { try TestPostgres.freshDatabase(prefix: "par") } }
            return try await group.reduce(into: [String]()) { $0.append($1) }
        }
        #expect(Set(names).count == 6)
        for conninfo in names { #expect(isConnectable(conninfo)) }
    }

    @Test("freshDatabase refuses prefixes that are not plain identifiers")
    func badPrefix() {
        #expect(throws: EmbeddedClusterError.self) { try TestPostgres.freshDatabase(prefix: "Robert'); DROP") }
    }

    @Test("a dedicated cluster stops, starts again on the same socket, and is removed")
    func dedicatedCluster() throws {
        let cluster = try TestCluster.dedicated()
        defer { cluster.remove() }
        let conninfo = cluster.conninfo(database: "registry")
        let socket = cluster.socketDirectory
        #expect(isConnectable(conninfo))

        try cluster.stop()
        #expect(!isConnectable(conninfo))
        try cluster.start()
        #expect(cluster.socketDirectory == socket)
        #expect(isConnectable(conninfo))

        cluster.remove()
        #expect(!isConnectable(conninfo))
        #expect(!FileManager.default.fileExists(atPath: cluster.dataDirectory))
    }
}
