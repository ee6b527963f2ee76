/// Settings of a `PostgresPool`.
public struct PostgresPoolConfiguration: Sendable {
    /// How each connection is opened.
    public var connection: PGConnectionSettings
    /// Most connections open at once (`DB_POOL_SIZE`, OPS-1).
    public var maximumConnections: Int
    /// Longest wait for a free connection before `.poolTimeout` (`DB_ACQUIRE_TIMEOUT_MS`, OPS-56).
    public var acquireTimeout: Duration
    /// First pause after a failed connect, during which acquires fail fast with `.unavailable`.
    public var initialBackoff: Duration
    /// The pause doubles after each further failed connect, up to this.
    public var maximumBackoff: Duration
    /// The `pool` label of the metrics (e.g. `primary`, `replica`).
    public var name: String

    public init(
        connection: PGConnectionSettings, maximumConnections: Int = 10,
        acquireTimeout: Duration = .seconds(5), initialBackoff: Duration = .milliseconds(100),
        maximumBackoff: Duration = .seconds(2), name: String = "primary"
    ) {
        precondition(maximumConnections > 0, "a pool needs at least one connection")
        self.connection = connection
        self.maximumConnections = maximumConnections
        self.acquireTimeout = acquireTimeout
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
        self.name = name
    }
}
