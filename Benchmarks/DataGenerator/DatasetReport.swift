import Postgres

/// Post-load maintenance and the summary of an existing dataset.
enum DatasetReport {
    /// VACUUM sets hint bits and the visibility map (so counts can use index-only scans, as on a
    /// production database that autovacuum looks after) and ANALYZE gives the planner statistics.
    /// Doing it here also keeps autovacuum from starting on the fresh tables during a benchmark.
    static func vacuumAnalyze(_ database: BenchDatabase) throws {
        for table in DeferredIndexes.tables + ["api_keys", "users", "institutions", "event_chain_heads", "audit_log"] {
            try database.connection.execute("VACUUM (ANALYZE) \(table)")
        }
        // A checkpoint now rather than in the middle of a measurement (needs superuser; optional).
        _ = try? database.connection.execute("CHECKPOINT")
    }

    static func printExisting(_ database: BenchDatabase) throws {
        let result = try database.connection.execute("""
            SELECT version, generated_at::text, round(load_seconds::numeric, 1)::text, objects, files, checksums, events,
                   storage_records, work_items FROM bench_dataset
            """)
        guard result.rowCount == 1 else {
            say("bench_dataset exists but is empty: drop the database and load again")
            return
        }
        let version = try result.int64(0, 0) ?? 0
        say("dataset present (version \(version), generated \(result.string(0, 1) ?? "?"), "
              + "loaded in \(result.string(0, 2) ?? "?") s): \(try result.int64(0, 3) ?? 0) objects, "
              + "\(try result.int64(0, 4) ?? 0) files, \(try result.int64(0, 5) ?? 0) checksums, "
              + "\(try result.int64(0, 6) ?? 0) events, \(try result.int64(0, 7) ?? 0) storage records, "
              + "\(try result.int64(0, 8) ?? 0) work items; skipping the load")
        if version != Int64(DatasetPlan.version) {
            say("warning: this generator builds version \(DatasetPlan.version); delete the data directory to rebuild")
        }
    }
}
