import Postgres

/// Bulk-load fast path: the secondary indexes, exclusion constraints and foreign keys of the
/// loaded tables are dropped before COPY and rebuilt afterwards from their own definitions
/// (`pg_get_indexdef`, `pg_get_constraintdef`), with their original names. Building an index once
/// over sorted data is many times faster than maintaining it row by row, an exclusion constraint
/// (a file identifier's uniqueness, migration 0006) otherwise probes its hash index for every row,
/// and re-adding a foreign key validates it with one join instead of millions of per-row trigger
/// lookups. Primary keys and unique constraints stay (their inserts arrive in key order or are few).
struct DeferredIndexes {
    static let tables = ["intellectual_objects", "generic_files", "checksums", "premis_events", "storage_records",
                         "work_items"]

    private var indexes: [(name: String, definition: String)] = []
    /// Exclusion constraints, then foreign keys: the order they are added back in.
    private var constraints: [(table: String, name: String, definition: String)] = []

    /// Records and drops them. Runs inside the load's transaction.
    static func drop(on connection: PGConnection) throws -> DeferredIndexes {
        var deferred = DeferredIndexes()
        let keys = try connection.query("""
            SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
            FROM pg_constraint c
            WHERE c.contype IN ('x', 'f') AND c.conrelid::regclass::text = ANY(\(tables))
            ORDER BY c.contype DESC, c.conname
            """)
        for row in 0..<keys.rowCount {
            deferred.constraints.append((keys.string(row, 0) ?? "", keys.string(row, 1) ?? "", keys.string(row, 2) ?? ""))
        }
        // Indexes that back no primary key, unique or exclusion constraint of their own table.
        let found = try connection.query("""
            SELECT x.indexrelid::regclass::text, pg_get_indexdef(x.indexrelid)
            FROM pg_index x
            WHERE x.indrelid::regclass::text = ANY(\(tables))
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                              WHERE c.conindid = x.indexrelid AND c.conrelid = x.indrelid AND c.contype IN ('p', 'u', 'x'))
            ORDER BY 1
            """)
        for row in 0..<found.rowCount {
            deferred.indexes.append((found.string(row, 0) ?? "", found.string(row, 1) ?? ""))
        }
        for key in deferred.constraints {
            try connection.execute("ALTER TABLE \(key.table) DROP CONSTRAINT \(key.name)")
        }
        for index in deferred.indexes {
            try connection.execute("DROP INDEX \(index.name)")
        }
        return deferred
    }

    /// Rebuilds every index, then every exclusion constraint and foreign key; `progress` gets one
    /// line per step.
    func rebuild(on connection: PGConnection, progress: (String) -> Void) throws {
        for index in indexes {
            let started = LoadClock.now()
            try connection.execute(index.definition)
            progress("index \(index.name): \(LoadClock.seconds(since: started))")
        }
        for key in constraints {
            let started = LoadClock.now()
            try connection.execute("ALTER TABLE \(key.table) ADD CONSTRAINT \(key.name) \(key.definition)")
            progress("constraint \(key.name): \(LoadClock.seconds(since: started))")
        }
    }

    var summary: String { "\(indexes.count) indexes, \(constraints.count) exclusion constraints and foreign keys" }
}
