import Foundation
import Postgres

/// A real `registry serve` process for integration tests: its own fresh database on the shared test
/// cluster, a free port, stdout and stderr captured to a log file (so tests can check what is
/// logged, OPS-42). Tests talk to it over real sockets only.
public final class TestRegistry: @unchecked Sendable {
    public let port: Int
    /// Key=value conninfo of the server's database, for assertions with `TestSQLConnection`.
    public let conninfo: String
    /// `postgresql://…` URL of the same database (what DATABASE_URL needs).
    public let databaseURL: String
    public let logFile: String
    public let environment: [String: String]
    private let process: Process

    /// Starts the server and waits until `/ready` answers 200.
    /// - Parameters:
    ///   - environment: extra variables (limits, timeouts…) on top of DATABASE_URL, PORT and LOG_LEVEL.
    ///   - conninfo: reuse an existing database instead of a fresh one.
    public static func start(environment extra: [String: String] = [:], conninfo existing: String? = nil,
                             waitForReady: Bool = true) throws -> TestRegistry {
        let conninfo = try existing ?? TestPostgres.freshDatabase(prefix: "reg")
        let port = freePort()
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DATABASE_") }
        environment["DATABASE_URL"] = TestRegistry.url(fromConninfo: conninfo)
        environment["PORT"] = String(port)
        environment["LOG_LEVEL"] = "info"
        environment["REGISTRY_DATA_DIR"] = NSTemporaryDirectory() + "registry-test-unused"
        for (key, value) in extra { environment[key] = value }
        let registry = try TestRegistry(conninfo: conninfo, port: port, environment: environment)
        if waitForReady { try registry.waitUntilReady() }
        return registry
    }

    private init(conninfo: String, port: Int, environment: [String: String]) throws {
        self.conninfo = conninfo
        self.port = port
        self.environment = environment
        self.databaseURL = environment["DATABASE_URL"] ?? ""
        logFile = TestLogDirectory.path + "registry-test-\(port)-\(UUID().uuidString).log"
        _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        let output = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        process = Process()
        process.executableURL = URL(fileURLWithPath: try TestRegistry.binaryPath())
        process.arguments = ["serve"]
        process.environment = environment
        process.standardOutput = output
        process.standardError = output
        try process.run()
    }

    deinit {
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
    }

    /// Polls `/ready` until 200 (or throws after `seconds`).
    public func waitUntilReady(seconds: Double = 30) throws {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            guard process.isRunning else {
                throw RawHTTPError.connectFailed("registry exited with \(process.terminationStatus): \(log().suffix(2000))")
            }
            if let client = try? RawHTTPClient(port: port, receiveTimeout: 2),
               let response = try? client.request(method: "GET", path: "/ready"), response.status == 200 {
                return
            }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw RawHTTPError.connectFailed("registry not ready within \(seconds) s: \(log().suffix(2000))")
    }

    /// A new keep-alive connection to the server.
    public func client(receiveTimeout: TimeInterval = 10) throws -> RawHTTPClient {
        try RawHTTPClient(port: port, receiveTimeout: receiveTimeout)
    }

    /// A direct database connection (assertions, fixtures).
    public func sql() throws -> TestSQLConnection {
        try TestSQLConnection(conninfo: conninfo)
    }

    /// Sends `signal` and waits for the exit status (nil on timeout).
    @discardableResult
    public func stop(signal: Int32 = SIGTERM, timeout: TimeInterval = 40) -> Int32? {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, signal)
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { Thread.sleep(forTimeInterval: 0.02) }
        return process.isRunning ? nil : process.terminationStatus
    }

    public var isRunning: Bool { process.isRunning }
    public var processIdentifier: Int32 { process.processIdentifier }

    /// Everything the server has written to stdout and stderr so far.
    public func log() -> String {
        (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
    }

    /// Runs a `registry` CLI command with this server's environment.
    public func cli(_ arguments: [String], stdin: String? = nil) throws -> CLIResult {
        try TestRegistry.runCLI(arguments, environment: environment, stdin: stdin)
    }

    public struct CLIResult: Sendable {
        public let status: Int32
        public let stdout: String
        public let stderr: String
    }

    /// Runs the `registry` binary with `arguments` and `environment`, capturing its output.
    public static func runCLI(_ arguments: [String], environment: [String: String], stdin: String? = nil) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: try binaryPath())
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let output = String(decoding: stdout, as: UTF8.self)
        // Keys and passwords the CLI prints must never show up in a server log (OPS-42).
        IssuedSecrets.recordHexTokens(in: output)
        if let stdin { IssuedSecrets.record(stdin.trimmingCharacters(in: .newlines)) }
        return CLIResult(status: process.terminationStatus, stdout: output, stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// The `registry` executable built next to the test bundle (or `REGISTRY_BINARY`).
    public static func binaryPath() throws -> String {
        if let explicit = ProcessInfo.processInfo.environment["REGISTRY_BINARY"] { return explicit }
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("registry").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        let fallback = FileManager.default.currentDirectoryPath + "/.build/debug/registry"
        if FileManager.default.isExecutableFile(atPath: fallback) { return fallback }
        throw RawHTTPError.connectFailed("registry binary not found; run `swift build` first or set REGISTRY_BINARY")
    }

    /// `DATABASE_READ_URL` of a replica that lags forever: a migrated database of its own that
    /// never receives the primary's rows (OPS-67 tests of replication lag).
    public static func laggingReplicaURL() throws -> String {
        let conninfo = try TestPostgres.freshDatabase(prefix: "lag")
        _ = try TestRegistry.start(conninfo: conninfo)  // migrates it; dropping the value stops that server
        return url(fromConninfo: conninfo)
    }

    /// `host=/s port=5432 user=u dbname=d` → `postgresql://u@/d?host=%2Fs&port=5432`.
    public static func url(fromConninfo conninfo: String) -> String {
        var fields: [String: String] = [:]
        for pair in conninfo.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1].trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        }
        let host = fields["host"]?.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        return "postgresql://\(fields["user"] ?? "registry")@/\(fields["dbname"] ?? "registry")?host=\(host)&port=\(fields["port"] ?? "5432")"
    }
}
