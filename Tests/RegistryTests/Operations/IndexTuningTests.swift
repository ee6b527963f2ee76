import Testing
import TestSupport

/// Storage settings the migrations make for performance (each explained in its migration), checked
/// so that they are not lost in a later rewrite of the schema.
@Suite("schema: index tuning")
struct IndexTuningTests {
    @Test("migration 0005: the trigram GIN indexes merge their pending list in 256 kB steps, not 4 MB stalls")
    func ginPendingListLimit() throws {
        let registry = try TestRegistry.start()
        let rows = try registry.sql().query("""
            SELECT c.relname, array_to_string(c.reloptions, ',')
            FROM pg_class c JOIN pg_am a ON a.oid = c.relam
            WHERE a.amname = 'gin' AND c.relkind = 'i'
            ORDER BY c.relname
            """)
        #expect(rows.map { $0[0] ?? "" } == ["generic_files_identifier_trgm_idx", "intellectual_objects_identifier_trgm_idx",
                                              "intellectual_objects_title_trgm_idx"])
        for row in rows { #expect(row[1] == "gin_pending_list_limit=256", "\(row[0] ?? "")") }
    }
}
