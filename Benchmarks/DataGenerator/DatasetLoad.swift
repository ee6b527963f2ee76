import Formats
import Postgres

/// The whole load in ONE transaction: accounts, COPY of every table, chain heads, identity
/// sequences, deferred indexes and the marker table. A load that fails or is interrupted leaves
/// nothing behind (no marker), so running the generator again simply starts over.
struct DatasetLoad {
    let database: BenchDatabase

    struct Counts {
        var objects = 0, files = 0, checksums = 0, storageRecords = 0, events = 0, workItems = 0
    }

    func run() throws -> Counts {
        let connection = database.connection
        let started = LoadClock.now()
        return try connection.transaction { connection in
            var counts = Counts()
            let institutionIDs = try BenchAccounts.createInstitutions(on: connection)
            try BenchAccounts.createUsersAndKeys(on: connection)
            let deferred = try DeferredIndexes.drop(on: connection)
            say("deferred until after the load: \(deferred.summary)")

            let rows = ObjectAndFileRows(institutionIDs: institutionIDs)
            counts.objects = try phase("intellectual_objects") { try rows.copyObjects(on: connection) }
            counts.files = try phase("generic_files") { try rows.copyFiles(on: connection) }
            counts.checksums = try phase("checksums") { try rows.copyChecksums(on: connection) }
            var heads: [EventRowsWriter.ChainHead] = []
            counts.events = try phase("premis_events (with hash chains)") {
                let copied = try EventRowsWriter(institutionIDs: institutionIDs).copyEvents(on: connection)
                heads = copied.heads
                return copied.rows
            }
            counts.storageRecords = try phase("storage_records") { try rows.copyStorageRecords(on: connection) }
            counts.workItems = try phase("work_items") {
                try WorkItemRows(institutionIDs: institutionIDs).copyWorkItems(on: connection)
            }

            for (index, head) in heads.enumerated() where head.sequence > 0 {
                _ = try connection.query("""
                    UPDATE event_chain_heads SET sequence = \(head.sequence), chain_hash = \(head.chainHash), updated_at = now()
                    WHERE institution_id = \(institutionIDs[index])
                    """)
            }
            // Ids were given explicitly: move the identity sequences past them.
            for table in ["intellectual_objects", "generic_files", "premis_events"] {
                try connection.execute("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), (SELECT max(id) FROM \(table)))")
            }
            let rebuildStarted = LoadClock.now()
            try deferred.rebuild(on: connection) { say("  \($0)") }
            say("indexes and constraints rebuilt: \(LoadClock.seconds(since: rebuildStarted))")
            try writeMarker(counts, seconds: LoadClock.now() - started, on: connection)
            return counts
        }
    }

    private func phase(_ name: String, _ body: () throws -> Int) throws -> Int {
        let started = LoadClock.now()
        let rows = try body()
        say("COPY \(name): \(rows) rows in \(LoadClock.seconds(since: started))")
        return rows
    }

    private func writeMarker(_ counts: Counts, seconds: Double, on connection: PGConnection) throws {
        try connection.execute("""
            CREATE TABLE bench_dataset (version integer NOT NULL, generated_at timestamptz NOT NULL DEFAULT now(),
                                        load_seconds double precision NOT NULL, objects bigint, files bigint,
                                        checksums bigint, events bigint, storage_records bigint, work_items bigint)
            """)
        _ = try connection.query("""
            INSERT INTO bench_dataset (version, load_seconds, objects, files, checksums, events, storage_records, work_items)
            VALUES (\(DatasetPlan.version), \(seconds), \(Int64(counts.objects)), \(Int64(counts.files)),
                    \(Int64(counts.checksums)), \(Int64(counts.events)), \(Int64(counts.storageRecords)),
                    \(Int64(counts.workItems)))
            """)
    }
}
