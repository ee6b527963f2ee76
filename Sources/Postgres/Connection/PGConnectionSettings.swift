/// How to open a connection.
public struct PGConnectionSettings: Sendable {
    /// A `postgres://user:pass@host:port/db?…` URL or a `key=value` conninfo string. It may contain a
    /// password: never log it.
    public var connectionString: String
    /// Shown in `pg_stat_activity.application_name`.
    public var applicationName: String
    /// Per-statement limit in milliseconds (OPS-57); nil or 0 means none (exports, migrations).
    public var statementTimeoutMs: Int?
    /// Give up connecting after this many seconds (libpq's minimum effective value is 2).
    public var connectTimeoutSeconds: Int

    public init(
        connectionString: String, applicationName: String = "registry",
        statementTimeoutMs: Int? = nil, connectTimeoutSeconds: Int = 5
    ) {
        self.connectionString = connectionString
        self.applicationName = applicationName
        self.statementTimeoutMs = statementTimeoutMs
        self.connectTimeoutSeconds = connectTimeoutSeconds
    }

    /// The keyword/value pairs passed to `PQconnectdbParams` with `expand_dbname=1`.
    ///
    /// `dbname` comes first and carries the whole connection string (URL or conninfo); libpq expands
    /// it in place and lets the later keywords override it, so the session settings below always
    /// apply. Session options: UTC and ISO dates make timestamptz text parseable by one fixed format;
    /// bytea_output=hex is what `PGResult.bytea` decodes. Keepalives detect a dead TCP peer (a
    /// database host that vanished) instead of blocking forever.
    var connectionParameters: [(key: String, value: String)] {
        var options = "-c TimeZone=UTC -c DateStyle=ISO -c bytea_output=hex"
        if let statementTimeoutMs, statementTimeoutMs > 0 {
            options += " -c statement_timeout=\(statementTimeoutMs)"
        }
        return [
            ("dbname", connectionString),
            ("application_name", applicationName),
            ("connect_timeout", String(connectTimeoutSeconds)),
            ("client_encoding", "UTF8"),
            ("options", options),
            ("keepalives", "1"),
            ("keepalives_idle", "30"),
            ("keepalives_interval", "10"),
            ("keepalives_count", "3"),
        ]
    }
}
