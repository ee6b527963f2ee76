import HTTPServer
import RegistryApp
import Testing

@Suite("Configuration (operations.md OPS-1..3)")
struct ConfigurationTests {
    private func load(_ environment: [String: String]) throws(ConfigurationError) -> RegistryConfiguration {
        try RegistryConfiguration.load(from: environment)
    }

    private func error(_ environment: [String: String]) -> ConfigurationError? {
        do {
            _ = try load(environment)
            return nil
        } catch {
            return error
        }
    }

    // MARK: OPS-1 defaults

    @Test("OPS-1: an empty environment gives every default")
    func defaults() throws {
        let config = try load([:])
        #expect(config == RegistryConfiguration())
        #expect(config.databaseURL == nil)
        #expect(config.usesEmbeddedDatabase)
        #expect(config.databaseReadURL == nil)
        #expect(config.dataDirectory == "./data")
        #expect(config.postgresBinDirectory == nil)
        #expect(config.host == "127.0.0.1")
        #expect(config.port == 8080)
        #expect(config.publicBaseURL == nil)
        #expect(config.trustProxy == false)
        #expect(config.logLevel == .info)
        #expect(config.databasePoolSize == 10)
        #expect(config.databaseAcquireTimeoutMilliseconds == 5000)
        #expect(config.databaseStatementTimeoutMilliseconds == 30000)
        #expect(config.exportMaxSeconds == 3600)
        #expect(config.maxHeaderBytes == 32768)
        #expect(config.maxBodyBytes == 1_048_576)
        #expect(config.maxBatchBodyBytes == 64 * 1_048_576)
        #expect(config.maxStateBodyBytes == 64 * 1_048_576)
        #expect(config.headerReadTimeoutSeconds == 10)
        #expect(config.bodyReadTimeoutSeconds == 30)
        #expect(config.idleTimeoutSeconds == 75)
        #expect(config.maxConnections == 1024)
        #expect(config.shutdownGraceSeconds == 30)
        #expect(config.sessionIdleMinutes == 60)
        #expect(config.sessionMaxHours == 12)
        #expect(config.cookieSecureSetting == nil)
        #expect(config.cookieSecure == false)
        #expect(config.receivingBucketPrefix == "aptrust.receiving.")
        #expect(config.restoreBucketPrefix == "aptrust.restore.")
        #expect(config.opsEmail == nil)
        #expect(config.stalledAfterHours == 12)
        #expect(config.serverAgent == "registry/0.1.0")
        #expect(config.serverAgent == "registry/\(RegistryVersion.current)")
        #expect(config.metricsToken == nil)
        #expect(config.migrateOnStart == true)
        #expect(config.migrationsDirectory == nil)
    }

    @Test("variables other than those of OPS-1 are ignored")
    func unknownVariablesIgnored() throws {
        #expect(try load(["PATH": "/usr/bin", "HOME": "/root", "port": "0"]) == RegistryConfiguration())
    }

    // MARK: OPS-2 examples

    static let ops2Rejected: [(String, String, String)] = [
        ("PORT", "0", #"PORT: must be an integer between 1 and 65535, got "0""#),
        ("PORT", "65536", #"PORT: must be an integer between 1 and 65535, got "65536""#),
        ("DB_POOL_SIZE", "1001", #"DB_POOL_SIZE: must be an integer between 1 and 1000, got "1001""#),
        ("HEADER_READ_TIMEOUT_S", "86401", #"HEADER_READ_TIMEOUT_S: must be an integer between 1 and 86400, got "86401""#),
        ("MAX_BODY_BYTES", "1023", #"MAX_BODY_BYTES: must be an integer between 1024 and 17179869184, got "1023""#),
    ]

    @Test("OPS-2 examples that must fail, naming the variable", arguments: ops2Rejected)
    func ops2Rejects(_ name: String, _ value: String, _ message: String) {
        let failure = error([name: value])
        #expect(failure?.variable == name)
        #expect(failure?.description == message)
    }

    static let ops2Accepted: [(String, String)] = [
        ("PORT", "65535"),
        ("DB_POOL_SIZE", "1000"),
        ("HEADER_READ_TIMEOUT_S", "86400"),
        ("MAX_BODY_BYTES", "1024"),
        ("MAX_BATCH_BODY_BYTES", "17179869184"),
    ]

    @Test("OPS-2 examples that must be accepted")
    func ops2Accepts() throws {
        let config = try load(Dictionary(uniqueKeysWithValues: Self.ops2Accepted))
        #expect(config.port == 65535)
        #expect(config.databasePoolSize == 1000)
        #expect(config.headerReadTimeoutSeconds == 86400)
        #expect(config.maxBodyBytes == 1024)
        #expect(config.maxBatchBodyBytes == 17_179_869_184)
    }

    // MARK: OPS-2 ranges, every numeric variable

    struct IntegerRange: Sendable, CustomTestStringConvertible {
        let name: String
        let lowest: Int
        let highest: Int
        let read: @Sendable (RegistryConfiguration) -> Int
        var testDescription: String { "\(name) \(lowest)–\(highest)" }
    }

    static let integerRanges: [IntegerRange] = [
        IntegerRange(name: "PORT", lowest: 1, highest: 65535) { $0.port },
        IntegerRange(name: "DB_POOL_SIZE", lowest: 1, highest: 1000) { $0.databasePoolSize },
        IntegerRange(name: "DB_ACQUIRE_TIMEOUT_MS", lowest: 1000, highest: 86_400_000) { $0.databaseAcquireTimeoutMilliseconds },
        IntegerRange(name: "DB_STATEMENT_TIMEOUT_MS", lowest: 1000, highest: 86_400_000) { $0.databaseStatementTimeoutMilliseconds },
        IntegerRange(name: "EXPORT_MAX_SECONDS", lowest: 1, highest: 86400) { $0.exportMaxSeconds },
        IntegerRange(name: "MAX_HEADER_BYTES", lowest: 1024, highest: 17_179_869_184) { $0.maxHeaderBytes },
        IntegerRange(name: "MAX_BODY_BYTES", lowest: 1024, highest: 17_179_869_184) { $0.maxBodyBytes },
        IntegerRange(name: "MAX_BATCH_BODY_BYTES", lowest: 1024, highest: 17_179_869_184) { $0.maxBatchBodyBytes },
        IntegerRange(name: "MAX_STATE_BODY_BYTES", lowest: 1024, highest: 17_179_869_184) { $0.maxStateBodyBytes },
        IntegerRange(name: "HEADER_READ_TIMEOUT_S", lowest: 1, highest: 86400) { $0.headerReadTimeoutSeconds },
        IntegerRange(name: "BODY_READ_TIMEOUT_S", lowest: 1, highest: 86400) { $0.bodyReadTimeoutSeconds },
        IntegerRange(name: "IDLE_TIMEOUT_S", lowest: 1, highest: 86400) { $0.idleTimeoutSeconds },
        IntegerRange(name: "SHUTDOWN_GRACE_S", lowest: 1, highest: 86400) { $0.shutdownGraceSeconds },
        IntegerRange(name: "SESSION_IDLE_MINUTES", lowest: 1, highest: 1440) { $0.sessionIdleMinutes },
        IntegerRange(name: "SESSION_MAX_HOURS", lowest: 1, highest: 24) { $0.sessionMaxHours },
        IntegerRange(name: "STALLED_AFTER_HOURS", lowest: 1, highest: 24) { $0.stalledAfterHours },
        IntegerRange(name: "MAX_CONNECTIONS", lowest: 1, highest: Int.max) { $0.maxConnections },
    ]

    @Test("OPS-2: inclusive ranges; one past either end fails naming the variable", arguments: integerRanges)
    func integerRange(_ range: IntegerRange) throws {
        #expect(range.read(try load([range.name: String(range.lowest)])) == range.lowest)
        #expect(range.read(try load([range.name: String(range.highest)])) == range.highest)
        #expect(error([range.name: String(range.lowest - 1)])?.variable == range.name)
        let pastHighest = range.highest == Int.max ? "9223372036854775808" : String(range.highest + 1)
        #expect(error([range.name: pastHighest])?.variable == range.name)
    }

    @Test("MAX_CONNECTIONS has no upper bound, and says so")
    func maxConnectionsMessage() {
        #expect(error(["MAX_CONNECTIONS": "0"])?.description == #"MAX_CONNECTIONS: must be an integer of at least 1, got "0""#)
    }

    static let notPlainIntegers = ["+80", "-1", " 80", "80 ", "1e3", "0x50", "8_080", "80.0", "", "eighty", "٨٠", "99999999999999999999"]

    @Test("OPS-2: numbers are plain decimal integers only", arguments: notPlainIntegers)
    func plainIntegersOnly(_ value: String) {
        let failure = error(["PORT": value])
        #expect(failure?.variable == "PORT")
        #expect(failure?.problem == "must be an integer between 1 and 65535, got \(String(reflecting: value))")
    }

    @Test("leading zeros are still a plain decimal integer")
    func leadingZeros() throws {
        #expect(try load(["PORT": "0080"]).port == 80)
    }

    // MARK: Booleans and log level

    @Test("OPS-2: booleans are exactly true or false", arguments: ["TRUST_PROXY", "MIGRATE_ON_START", "COOKIE_SECURE"])
    func booleans(_ name: String) throws {
        let on = try load([name: "true"])
        let off = try load([name: "false"])
        switch name {
        case "TRUST_PROXY":
            #expect(on.trustProxy && !off.trustProxy)
        case "MIGRATE_ON_START":
            #expect(on.migrateOnStart && !off.migrateOnStart)
        default:
            #expect(on.cookieSecureSetting == true && off.cookieSecureSetting == false)
        }
        for bad in ["TRUE", "True", "1", "0", "yes", "no", "", " true"] {
            let failure = error([name: bad])
            #expect(failure?.description == "\(name): must be true or false, got \(String(reflecting: bad))")
        }
    }

    @Test("OPS-2: LOG_LEVEL is one of its four values")
    func logLevel() throws {
        for level in LogLevel.allCases {
            #expect(try load(["LOG_LEVEL": level.rawValue]).logLevel == level)
        }
        #expect(LogLevel.allCases.map(\.rawValue) == ["debug", "info", "warn", "error"])
        for bad in ["warning", "INFO", "trace", ""] {
            #expect(error(["LOG_LEVEL": bad])?.description == "LOG_LEVEL: must be one of debug, info, warn, error, got \(String(reflecting: bad))")
        }
        #expect(LogLevel.debug < LogLevel.info && LogLevel.warn < LogLevel.error)
    }

    // MARK: Every variable is checked

    @Test("OPS-2: every variable is checked; an empty value is invalid for each and names it, except the database URLs")
    func everyVariableChecked() {
        #expect(RegistryConfiguration.variableNames.count == 33)
        // An empty DATABASE_URL or DATABASE_READ_URL is an unset one (README Decisions).
        let emptyMeansUnset: Set<String> = ["DATABASE_URL", "DATABASE_READ_URL"]
        for name in RegistryConfiguration.variableNames {
            #expect(error([name: ""])?.variable == (emptyMeansUnset.contains(name) ? nil : name), "\(name)")
        }
    }

    @Test("the first invalid variable in OPS-1 order is reported")
    func firstErrorInTableOrder() {
        #expect(error(["DB_POOL_SIZE": "0", "PORT": "0", "MIGRATIONS_DIR": ""])?.variable == "PORT")
    }
}
