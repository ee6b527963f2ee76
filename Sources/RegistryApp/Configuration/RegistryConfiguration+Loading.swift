extension RegistryConfiguration {
    /// Inclusive ranges of operations.md OPS-2.
    enum Limits {
        static let port = 1...65535
        static let poolSize = 1...1000
        static let seconds = 1...86400
        static let milliseconds = 1000...86_400_000
        static let sessionIdleMinutes = 1...1440
        static let hours = 1...24
        static let bytes = 1024...17_179_869_184  // 2^34
        static let connections = 1...Int.max
    }

    /// Reads and checks every variable of OPS-1 (OPS-2: every command checks all of them, even
    /// those it does not use). Unset variables take their defaults; unknown variables are ignored.
    /// - Throws: the first invalid variable, in the order of the OPS-1 table.
    public static func load(from environment: [String: String]) throws(ConfigurationError) -> RegistryConfiguration {
        let env = EnvironmentReader(environment: environment)
        var config = RegistryConfiguration()

        config.databaseURL = try env.databaseURL("DATABASE_URL")
        config.databaseReadURL = try env.databaseURL("DATABASE_READ_URL")
        config.dataDirectory = try env.text("REGISTRY_DATA_DIR", problem: SettingSyntax.controlCharacterProblem) ?? config.dataDirectory
        config.postgresBinDirectory = try env.text("PG_BIN_DIR", problem: SettingSyntax.controlCharacterProblem)
        config.host = try env.text("HOST", problem: SettingSyntax.listenHostProblem) ?? config.host
        config.port = try env.integer("PORT", in: Limits.port, default: config.port)
        config.publicBaseURL = try env.text("PUBLIC_BASE_URL", problem: SettingSyntax.publicBaseURLProblem).map(normalizedBaseURL)
        config.trustProxy = try env.boolean("TRUST_PROXY", default: config.trustProxy)
        config.logLevel = try env.choice("LOG_LEVEL", default: config.logLevel)

        config.databasePoolSize = try env.integer("DB_POOL_SIZE", in: Limits.poolSize, default: config.databasePoolSize)
        config.databaseLoopReads = try env.boolean("DB_LOOP_READS", default: config.databaseLoopReads)
        config.databaseAcquireTimeoutMilliseconds = try env.integer(
            "DB_ACQUIRE_TIMEOUT_MS", in: Limits.milliseconds, default: config.databaseAcquireTimeoutMilliseconds
        )
        config.databaseStatementTimeoutMilliseconds = try env.integer(
            "DB_STATEMENT_TIMEOUT_MS", in: Limits.milliseconds, default: config.databaseStatementTimeoutMilliseconds
        )
        config.exportMaxSeconds = try env.integer("EXPORT_MAX_SECONDS", in: Limits.seconds, default: config.exportMaxSeconds)

        config.maxHeaderBytes = try env.integer("MAX_HEADER_BYTES", in: Limits.bytes, default: config.maxHeaderBytes)
        config.maxBodyBytes = try env.integer("MAX_BODY_BYTES", in: Limits.bytes, default: config.maxBodyBytes)
        config.maxBatchBodyBytes = try env.integer("MAX_BATCH_BODY_BYTES", in: Limits.bytes, default: config.maxBatchBodyBytes)
        config.maxStateBodyBytes = try env.integer("MAX_STATE_BODY_BYTES", in: Limits.bytes, default: config.maxStateBodyBytes)
        config.headerReadTimeoutSeconds = try env.integer("HEADER_READ_TIMEOUT_S", in: Limits.seconds, default: config.headerReadTimeoutSeconds)
        config.bodyReadTimeoutSeconds = try env.integer("BODY_READ_TIMEOUT_S", in: Limits.seconds, default: config.bodyReadTimeoutSeconds)
        config.idleTimeoutSeconds = try env.integer("IDLE_TIMEOUT_S", in: Limits.seconds, default: config.idleTimeoutSeconds)
        config.maxConnections = try env.integer("MAX_CONNECTIONS", in: Limits.connections, default: config.maxConnections)
        config.shutdownGraceSeconds = try env.integer("SHUTDOWN_GRACE_S", in: Limits.seconds, default: config.shutdownGraceSeconds)

        config.sessionIdleMinutes = try env.integer("SESSION_IDLE_MINUTES", in: Limits.sessionIdleMinutes, default: config.sessionIdleMinutes)
        config.sessionMaxHours = try env.integer("SESSION_MAX_HOURS", in: Limits.hours, default: config.sessionMaxHours)
        config.cookieSecureSetting = try env.optionalBoolean("COOKIE_SECURE")

        config.receivingBucketPrefix = try env.text("RECEIVING_BUCKET_PREFIX", problem: SettingSyntax.bucketPrefixProblem)
            ?? config.receivingBucketPrefix
        config.restoreBucketPrefix = try env.text("RESTORE_BUCKET_PREFIX", problem: SettingSyntax.bucketPrefixProblem)
            ?? config.restoreBucketPrefix
        config.opsEmail = try env.text("OPS_EMAIL", problem: SettingSyntax.emailProblem)
        config.stalledAfterHours = try env.integer("STALLED_AFTER_HOURS", in: Limits.hours, default: config.stalledAfterHours)
        config.serverAgent = try env.text("SERVER_AGENT", problem: SettingSyntax.controlCharacterProblem) ?? config.serverAgent
        config.metricsToken = try env.text("METRICS_TOKEN", secret: true, problem: SettingSyntax.tokenProblem)
        config.migrateOnStart = try env.boolean("MIGRATE_ON_START", default: config.migrateOnStart)
        config.migrationsDirectory = try env.text("MIGRATIONS_DIR", problem: SettingSyntax.controlCharacterProblem)
        return config
    }

    /// Lower-case scheme (so the `https:` test of WEB-5 holds for `HTTPS://…`) and no trailing
    /// `/` (links append the raw path, which starts with `/`).
    private static func normalizedBaseURL(_ value: String) -> String {
        guard let schemeEnd = value.firstIndex(of: ":") else { return value }  // checked by publicBaseURLProblem
        var normalized = value[..<schemeEnd].lowercased() + value[schemeEnd...]
        while normalized.hasSuffix("/") { normalized.removeLast() }
        return normalized
    }
}
