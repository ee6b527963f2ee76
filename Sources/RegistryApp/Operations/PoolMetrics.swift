import HTTPServer
import Postgres

/// The database pool's families of `/metrics` (OPS-37).
enum PoolMetrics {
    static func render(_ pools: [PoolStats], into text: inout String) {
        text += "# HELP registry_db_pool_connections Database connections by state.\n"
        text += "# TYPE registry_db_pool_connections gauge\n"
        for stats in pools {
            let pool = prometheusLabel(stats.name)
            text += "registry_db_pool_connections{pool=\"\(pool)\",state=\"idle\"} \(stats.idle)\n"
            text += "registry_db_pool_connections{pool=\"\(pool)\",state=\"in_use\"} \(stats.inUse)\n"
            text += "registry_db_pool_connections{pool=\"\(pool)\",state=\"connecting\"} \(stats.connecting)\n"
            text += "registry_db_pool_connections{pool=\"\(pool)\",state=\"waiting\"} \(stats.waiting)\n"
        }
        text += "# HELP registry_db_pool_wait_seconds Time spent acquiring a database connection.\n"
        text += "# TYPE registry_db_pool_wait_seconds histogram\n"
        for stats in pools {
            let pool = prometheusLabel(stats.name)
            let histogram = stats.waitSeconds
            for (index, bound) in PoolWaitHistogram.upperBounds.enumerated() {
                text += "registry_db_pool_wait_seconds_bucket{pool=\"\(pool)\",le=\"\(bound)\"} \(histogram.cumulativeCounts[index])\n"
            }
            text += "registry_db_pool_wait_seconds_bucket{pool=\"\(pool)\",le=\"+Inf\"} \(histogram.count)\n"
            text += "registry_db_pool_wait_seconds_sum{pool=\"\(pool)\"} \(histogram.sumSeconds)\n"
            text += "registry_db_pool_wait_seconds_count{pool=\"\(pool)\"} \(histogram.count)\n"
        }
        text += "# HELP registry_db_unavailable_total Database acquires that failed because it was unreachable.\n"
        text += "# TYPE registry_db_unavailable_total counter\n"
        text += "registry_db_unavailable_total \(pools.reduce(0) { $0 + $1.unavailableTotal })\n"
    }
}
