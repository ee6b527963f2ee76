import HTTPServer

/// Every setting of operations.md OPS-1, typed, with its default. Build it with
/// `RegistryConfiguration.load(from:)`; `init()` gives the defaults (for tests and tools).
///
/// Units are part of the property names. The `description` is the redacted summary, so the
/// value can be logged without leaking secrets (OPS-3).
public struct RegistryConfiguration: Sendable, Equatable {
    // MARK: Database and files

    /// `DATABASE_URL`: the primary; nil → embedded cluster (operations.md §2).
    public var databaseURL: DatabaseURL?
    /// `DATABASE_READ_URL`: optional read replica (OPS-67).
    public var databaseReadURL: DatabaseURL?
    /// `REGISTRY_DATA_DIR`: the embedded cluster lives in `<dir>/pg`.
    public var dataDirectory = "./data"
    /// `PG_BIN_DIR`: nil → discovered (OPS-11).
    public var postgresBinDirectory: String?
    /// `MIGRATIONS_DIR`: nil → the migrations compiled into the binary (OPS-30).
    public var migrationsDirectory: String?
    /// `MIGRATE_ON_START` (OPS-33).
    public var migrateOnStart = true

    // MARK: HTTP

    /// `HOST`: listen address.
    public var host = "127.0.0.1"
    /// `PORT`: 1–65535.
    public var port = 8080
    /// `PUBLIC_BASE_URL` without trailing `/` (so `base + rawPath` is a link, API-42);
    /// nil → request scheme + `://` + `Host`.
    public var publicBaseURL: String?
    /// `TRUST_PROXY`: take client address and scheme from `X-Forwarded-For`/`-Proto`.
    public var trustProxy = false
    /// `METRICS_TOKEN`: when set, `/metrics` requires `Authorization: Bearer <token>`. Secret.
    public var metricsToken: String?

    // MARK: Logging

    /// `LOG_LEVEL`.
    public var logLevel = LogLevel.info

    // MARK: Database pool and timeouts

    /// `DB_POOL_SIZE`: connections per process per database, 1–1000.
    public var databasePoolSize = 10
    /// `DB_LOOP_READS`: answer the common case of the hot reads (GET object, an object's events,
    /// the work-item list) on the HTTP event loops through one pipelined session per loop
    /// (`LoopDatabase`), taken from DB_POOL_SIZE; false sends every request to a worker.
    public var databaseLoopReads = true
    /// `DB_ACQUIRE_TIMEOUT_MS`: 1000–86400000.
    public var databaseAcquireTimeoutMilliseconds = 5000
    /// `DB_STATEMENT_TIMEOUT_MS`: 1000–86400000 (not exports).
    public var databaseStatementTimeoutMilliseconds = 30000
    /// `EXPORT_MAX_SECONDS`: 1–86400.
    public var exportMaxSeconds = 3600

    // MARK: Limits (operations.md §8)

    /// `MAX_HEADER_BYTES`: request line + headers, 1024–2^34.
    public var maxHeaderBytes = 32768
    /// `MAX_BODY_BYTES`: 1 MiB by default, 1024–2^34.
    public var maxBodyBytes = 1_048_576
    /// `MAX_BATCH_BODY_BYTES`: `create_batch`, `trigger_bulk_delete`; 64 MiB by default.
    public var maxBatchBodyBytes = 67_108_864
    /// `MAX_STATE_BODY_BYTES`: `item_state`; 64 MiB by default.
    public var maxStateBodyBytes = 67_108_864
    /// `HEADER_READ_TIMEOUT_S`: 1–86400.
    public var headerReadTimeoutSeconds = 10
    /// `BODY_READ_TIMEOUT_S`: 1–86400.
    public var bodyReadTimeoutSeconds = 30
    /// `IDLE_TIMEOUT_S`: keep-alive idle, 1–86400.
    public var idleTimeoutSeconds = 75
    /// `MAX_CONNECTIONS`: at least 1.
    public var maxConnections = 1024
    /// `SHUTDOWN_GRACE_S`: 1–86400 (operations.md §7).
    public var shutdownGraceSeconds = 30

    // MARK: HTML sessions (html.md WEB-5, WEB-6)

    /// `SESSION_IDLE_MINUTES`: 1–1440.
    public var sessionIdleMinutes = 60
    /// `SESSION_MAX_HOURS`: 1–24.
    public var sessionMaxHours = 12
    /// `COOKIE_SECURE` as set; nil → auto. Use `cookieSecure` for the effective value.
    public var cookieSecureSetting: Bool?

    // MARK: Domain

    /// `RECEIVING_BUCKET_PREFIX` (domain.md DOM-19).
    public var receivingBucketPrefix = "aptrust.receiving."
    /// `RESTORE_BUCKET_PREFIX` (domain.md DOM-19).
    public var restoreBucketPrefix = "aptrust.restore."
    /// `OPS_EMAIL`: extra recipient of `multiple_fixity` notifications.
    public var opsEmail: String?
    /// `STALLED_AFTER_HOURS`: 1–24 (domain.md §8.8).
    public var stalledAfterHours = 12
    /// `SERVER_AGENT`: `agent` of events the server writes (DOM-125).
    public var serverAgent = "registry/\(RegistryVersion.current)"

    /// All defaults: what `load(from: [:])` returns.
    public init() {}

    // MARK: Derived values

    /// Whether session cookies carry `Secure` (html.md WEB-5): when `PUBLIC_BASE_URL` starts with
    /// `https:` or `COOKIE_SECURE=true`. `COOKIE_SECURE=false` cannot switch it off for an
    /// https base URL, because WEB-5 joins the two conditions with "or".
    public var cookieSecure: Bool {
        cookieSecureSetting == true || publicBaseURL?.hasPrefix("https:") == true
    }

    /// No `DATABASE_URL`: `serve` and the CLI run a private cluster (OPS-10).
    public var usesEmbeddedDatabase: Bool { databaseURL == nil }

    /// The variables of OPS-1, in the order of its table (and of `redactedSummary()`).
    public static let variableNames = [
        "DATABASE_URL", "DATABASE_READ_URL", "REGISTRY_DATA_DIR", "PG_BIN_DIR", "HOST", "PORT",
        "PUBLIC_BASE_URL", "TRUST_PROXY", "LOG_LEVEL", "DB_POOL_SIZE", "DB_ACQUIRE_TIMEOUT_MS",
        "DB_STATEMENT_TIMEOUT_MS", "EXPORT_MAX_SECONDS", "MAX_HEADER_BYTES", "MAX_BODY_BYTES",
        "MAX_BATCH_BODY_BYTES", "MAX_STATE_BODY_BYTES", "HEADER_READ_TIMEOUT_S", "BODY_READ_TIMEOUT_S",
        "IDLE_TIMEOUT_S", "MAX_CONNECTIONS", "SHUTDOWN_GRACE_S", "SESSION_IDLE_MINUTES",
        "SESSION_MAX_HOURS", "COOKIE_SECURE", "RECEIVING_BUCKET_PREFIX", "RESTORE_BUCKET_PREFIX",
        "OPS_EMAIL", "STALLED_AFTER_HOURS", "SERVER_AGENT", "METRICS_TOKEN", "MIGRATE_ON_START",
        "MIGRATIONS_DIR",
    ]
}
