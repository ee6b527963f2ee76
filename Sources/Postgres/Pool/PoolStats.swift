/// A snapshot of a pool, for `/metrics` (OPS-37) and tests.
public struct PoolStats: Sendable {
    /// The `pool` label.
    public var name: String
    /// The configured maximum.
    public var maximumConnections: Int
    /// Established connections (idle + in use).
    public var open: Int
    /// Established connections waiting in the pool.
    public var idle: Int
    /// Connections leased to callers.
    public var inUse: Int
    /// Connections being opened right now.
    public var connecting: Int
    /// Callers blocked waiting for a connection.
    public var waiting: Int
    /// Acquires that failed because the database could not be reached: failed connects plus fast
    /// failures while the circuit was open (`registry_db_unavailable_total`).
    public var unavailableTotal: UInt64
    /// Time callers spent acquiring a connection (`registry_db_pool_wait_seconds`).
    public var waitSeconds: PoolWaitHistogram
}

/// A Prometheus-style histogram of acquire waits.
public struct PoolWaitHistogram: Sendable {
    /// Bucket upper bounds in seconds (`le` labels); `+Inf` is `count`. They span a free
    /// connection (well under 1 ms) to the longest acquire timeout worth waiting for.
    public static let upperBounds: [Double] = [0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

    /// Observations ≤ each bound, cumulative as Prometheus expects; parallel to `upperBounds`.
    public private(set) var cumulativeCounts = [UInt64](repeating: 0, count: PoolWaitHistogram.upperBounds.count)
    /// All observations.
    public private(set) var count: UInt64 = 0
    /// Sum of all observations in seconds.
    public private(set) var sumSeconds: Double = 0

    mutating func observe(seconds: Double) {
        count += 1
        sumSeconds += seconds
        for (index, bound) in PoolWaitHistogram.upperBounds.enumerated() where seconds <= bound {
            cumulativeCounts[index] += 1
        }
    }
}
