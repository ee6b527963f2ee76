import Foundation

/// What a finished child process left behind.
struct ClusterCommandResult: Sendable {
    let status: Int32
    let standardOutput: String
    let standardError: String

    /// Both streams, for error messages.
    var combinedOutput: String {
        [standardOutput, standardError]
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
            .joined(separator: "\n")
    }
}

/// Runs a program to completion, optionally as another OS user.
///
/// Not Foundation `Process`, on purpose: on Linux it detects a child's exit through a socket it
/// leaks into the child, and `pg_ctl start` leaves the postmaster daemon holding that socket, so
/// `waitUntilExit()` never returns (swift-corelibs-foundation issue #4795; we hit exactly that).
/// posix_spawn + waitpid has no such trap, and closing every descriptor above stderr in the child
/// keeps the registry's own sockets (e.g. its HTTP listener) out of the long-lived postmaster.
enum ClusterCommand {
    /// Runs `executable` with `arguments` and waits for it.
    ///
    /// Output goes to temporary files rather than pipes: a daemon that inherited a pipe would keep
    /// "read to end" waiting, and a file cannot fill up and block a chatty child.
    /// - Parameter user: when set, the program runs as that user (see `UnprivilegedUser`).
    static func run(_ executable: String, _ arguments: [String], as user: UnprivilegedUser? = nil) throws -> ClusterCommandResult {
        let argv = user?.commandLine(executable, arguments) ?? [executable] + arguments
        let stdoutFile = try TemporaryOutputFile()
        defer { stdoutFile.remove() }
        let stderrFile = try TemporaryOutputFile()
        defer { stderrFile.remove() }

        let pid = try spawn(argv, stdout: stdoutFile.descriptor, stderr: stderrFile.descriptor)
        let status = try waitForExit(pid)
        return ClusterCommandResult(
            status: status,
            standardOutput: stdoutFile.contents(),
            standardError: stderrFile.contents()
        )
    }

    private static func spawn(_ argv: [String], stdout: Int32, stderr: Int32) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, stdout, 1)
        posix_spawn_file_actions_adddup2(&actions, stderr, 2)
        SpawnExtensions.closeDescriptorsAboveStandardError(&actions)
        // The unprivileged user may not be able to enter our working directory (e.g. /root).
        SpawnExtensions.changeDirectory(&actions, to: "/")

        let cArguments: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) } + [nil]
        defer { cArguments.forEach { free($0) } }
        // The server ignores SIGTERM and SIGINT from its start (it waits for them on a Dispatch
        // source), and ignored signals are inherited across exec: initdb and pg_ctl get the default
        // actions back, as from a shell.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGTERM)
        sigaddset(&defaults, SIGINT)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let status = posix_spawn(&pid, argv[0], &actions, &attributes, cArguments, environ)
        guard status == 0 else {
            throw EmbeddedClusterError("cannot run \(argv[0]): \(String(cString: strerror(status)))")
        }
        return pid
    }

    /// Exit status, or 128 + signal number for a child killed by a signal (as shells report it).
    private static func waitForExit(_ pid: pid_t) throws -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw EmbeddedClusterError("waiting for process \(pid) failed: \(String(cString: strerror(errno)))")
            }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}

/// glibc extensions to posix_spawn, looked up at run time: they arrived in glibc 2.29
/// (addchdir_np) and 2.34 (addclosefrom_np), and a direct call would not link on older systems.
private enum SpawnExtensions {
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private typealias AddChdir = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32

    static func closeDescriptorsAboveStandardError(_ actions: inout posix_spawn_file_actions_t) {
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") {
            _ = unsafeBitCast(symbol, to: AddCloseFrom.self)(&actions, 3)
            return
        }
        // Fallback: close what is open now. A descriptor opened by another thread in between
        // may leak into the child; acceptable on old systems only.
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for descriptor in open.compactMap({ Int32($0) }) where descriptor > 2 && fcntl(descriptor, F_GETFD) >= 0 {
            posix_spawn_file_actions_addclose(&actions, descriptor)
        }
    }

    static func changeDirectory(_ actions: inout posix_spawn_file_actions_t, to path: String) {
        if let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") {
            _ = unsafeBitCast(symbol, to: AddChdir.self)(&actions, path)
        }
    }
}

/// A private file under /tmp that collects one output stream of a child process.
private struct TemporaryOutputFile {
    let path: String
    let descriptor: Int32

    init() throws {
        var template = Array("/tmp/registry-cmd-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw EmbeddedClusterError("cannot create a temporary file in /tmp: \(String(cString: strerror(errno)))")
        }
        self.descriptor = descriptor
        self.path = template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    func contents() -> String {
        let data = FileManager.default.contents(atPath: path) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    func remove() {
        close(descriptor)
        unlink(path)
    }
}
