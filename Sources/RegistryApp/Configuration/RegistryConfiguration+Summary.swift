import HTTPServer

extension RegistryConfiguration: CustomStringConvertible, CustomDebugStringConvertible {
    /// The text that replaces secrets in the summary and in database URLs (OPS-3).
    public static let redactedMarker = "[redacted]"

    /// Every setting, in OPS-1 order, as `(variable, value)` for the startup log. Passwords in
    /// database URLs and `METRICS_TOKEN` are replaced by `[redacted]` (OPS-3); unset optional
    /// settings read `unset`.
    public func redactedSummary() -> [(String, String)] {
        [
            ("DATABASE_URL", databaseURL?.redacted ?? "unset (embedded cluster)"),
            ("DATABASE_READ_URL", databaseReadURL?.redacted ?? "unset"),
            ("REGISTRY_DATA_DIR", dataDirectory),
            ("PG_BIN_DIR", postgresBinDirectory ?? "unset (discovered)"),
            ("HOST", host),
            ("PORT", String(port)),
            ("PUBLIC_BASE_URL", publicBaseURL ?? "unset (request scheme and Host)"),
            ("TRUST_PROXY", String(trustProxy)),
            ("LOG_LEVEL", logLevel.rawValue),
            ("DB_POOL_SIZE", String(databasePoolSize)),
            ("DB_ACQUIRE_TIMEOUT_MS", String(databaseAcquireTimeoutMilliseconds)),
            ("DB_STATEMENT_TIMEOUT_MS", String(databaseStatementTimeoutMilliseconds)),
            ("EXPORT_MAX_SECONDS", String(exportMaxSeconds)),
            ("MAX_HEADER_BYTES", String(maxHeaderBytes)),
            ("MAX_BODY_BYTES", String(maxBodyBytes)),
            ("MAX_BATCH_BODY_BYTES", String(maxBatchBodyBytes)),
            ("MAX_STATE_BODY_BYTES", String(maxStateBodyBytes)),
            ("HEADER_READ_TIMEOUT_S", String(headerReadTimeoutSeconds)),
            ("BODY_READ_TIMEOUT_S", String(bodyReadTimeoutSeconds)),
            ("IDLE_TIMEOUT_S", String(idleTimeoutSeconds)),
            ("MAX_CONNECTIONS", String(maxConnections)),
            ("SHUTDOWN_GRACE_S", String(shutdownGraceSeconds)),
            ("SESSION_IDLE_MINUTES", String(sessionIdleMinutes)),
            ("SESSION_MAX_HOURS", String(sessionMaxHours)),
            ("COOKIE_SECURE", cookieSecureSetting.map { String($0) } ?? "auto (\(cookieSecure))"),
            ("RECEIVING_BUCKET_PREFIX", receivingBucketPrefix),
            ("RESTORE_BUCKET_PREFIX", restoreBucketPrefix),
            ("OPS_EMAIL", opsEmail ?? "unset"),
            ("STALLED_AFTER_HOURS", String(stalledAfterHours)),
            ("SERVER_AGENT", serverAgent),
            ("METRICS_TOKEN", metricsToken == nil ? "unset" : Self.redactedMarker),
            ("MIGRATE_ON_START", String(migrateOnStart)),
            ("MIGRATIONS_DIR", migrationsDirectory ?? "unset (embedded)"),
        ]
    }

    /// The redacted summary on one line; what string interpolation and `print` show, so a
    /// configuration that ends up in a log never carries a secret.
    public var description: String {
        redactedSummary().map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    public var debugDescription: String { description }
}
