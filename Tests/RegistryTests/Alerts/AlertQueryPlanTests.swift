import Formats
import Foundation
import Postgres
import RegistryCore
import Testing
import TestSupport

/// The alert queries (domain.md §8.8) use the indexes the migration made for them — checked with
/// EXPLAIN on the exact SQL of `AlertQueries` over 60,000 work items and 60,000 events, for the
/// plan of the actual values and for the generic plan a cached prepared statement may switch to.
@Suite("Alerts: query plans")
struct AlertQueryPlanTests {
    static func load(_ registry: TestRegistry) throws {
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("example.org")
        try registry.makeObject("test.edu/bag")
        try registry.makeFile("test.edu/bag/data/a.txt")
        let sql = try registry.sql()
        // Mostly finished items spread over a year; a few failures and stalled ones.
        try sql.query("""
            INSERT INTO work_items (name, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status,
                                    queued_at, created_at, updated_at, date)
            SELECT 'bag' || n || '.tar', now(), 'b', 'u@test.edu', 1 + n % 2, 'n', 'o',
                   (ARRAY['Ingest', 'Restore', 'Glacier Restore', 'Delete', 'Fixity Check'])[1 + n % 5], 'Store',
                   CASE WHEN n % 100 = 0 THEN 'Failed' WHEN n % 97 = 0 THEN 'Pending' WHEN n % 89 = 0 THEN 'Started'
                        ELSE 'Success' END,
                   now() - n * interval '9 minutes', now() - n * interval '9 minutes', now() - n * interval '9 minutes',
                   now() - n * interval '9 minutes'
            FROM generate_series(1, 60000) n
            """)
        try sql.query("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent,
                                       intellectual_object_id, intellectual_object_identifier, generic_file_id,
                                       generic_file_identifier, institution_id, sequence, entry_hash, chain_hash, created_at)
            SELECT gen_random_uuid(), CASE WHEN n % 3 = 0 THEN 'ingestion' ELSE 'fixity check' END, now(),
                   CASE WHEN n % 500 = 0 THEN 'Failed' ELSE 'Success' END, 'd', 'od', 'o', 'a',
                   f.intellectual_object_id, f.intellectual_object_identifier, f.id, f.identifier, f.institution_id, n,
                   sha256(n::text::bytea), sha256(n::text::bytea), now() - n * interval '9 minutes'
            FROM generate_series(1, 60000) n CROSS JOIN generic_files f
            """)
        try sql.query("ANALYZE")
    }

    static func plan(_ query: PGQuery, generic: Bool, on connection: PGConnection) throws -> String {
        try connection.planText(of: query, genericPlan: generic)
    }

    @Test("§8.8: each alert list and the summary read their index, never a sequential scan, for admins and inst admins")
    func alertsUseIndexes() throws {
        let registry = try TestRegistry.start()
        try Self.load(registry)
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: registry.conninfo))
        let now = Timestamp.now()
        let expected: [AlertKind: String] = [
            .failedFixity: "premis_events_type_created_idx",
            .failedIngests: "work_items_status_action_updated_idx",
            .failedRestorations: "work_items_status_action_updated_idx",
            .failedDeletions: "work_items_status_action_updated_idx",
            .stalledWorkItems: "work_items_status_queued_idx",
        ]
        for institutionID in [nil, Int64(1)] {
            let scope = AlertScope(since: AlertScope.defaultSince(now: now),
                                   stalledBefore: AlertScope.stalledCutoff(hours: 12, now: now), institutionID: institutionID)
            for kind in AlertKind.allCases {
                let select: PGQuery = kind.isEventAlert ? "e.id" : "w.id"
                for generic in [false, true] {
                    let text = try Self.plan(AlertQueries.rows(kind, scope, selectList: select, limit: 100), generic: generic,
                                             on: connection)
                    // For one institution, its own (institution_id, created_at, id) index serves as well; the
                    // partial failed-fixity index of migration 0002 serves failed fixity best.
                    let usesIndex = text.contains(expected[kind] ?? "?")
                        || (kind.isEventAlert && text.contains("premis_events_failed_fixity_idx"))
                        || (kind.isEventAlert && institutionID != nil && text.contains("premis_events_institution_created_idx"))
                    #expect(usesIndex, "\(kind) \(String(describing: institutionID)) generic=\(generic):\n\(text)")
                    #expect(!text.contains("Seq Scan on premis_events") && !text.contains("Seq Scan on work_items"),
                            "\(kind) generic=\(generic):\n\(text)")
                }
            }
            for generic in [false, true] {
                let text = try Self.plan(AlertQueries.summary(scope), generic: generic, on: connection)
                for index in Set(expected.values) where index.hasPrefix("work_items") {
                    #expect(text.contains(index), "summary generic=\(generic):\n\(text)")
                }
                #expect(text.contains("premis_events_failed_fixity_idx") || text.contains("premis_events_type_created_idx")
                        || text.contains("premis_events_institution_created_idx"), "summary generic=\(generic):\n\(text)")
                #expect(!text.contains("Seq Scan"), "summary generic=\(generic):\n\(text)")
            }
        }
    }
}
