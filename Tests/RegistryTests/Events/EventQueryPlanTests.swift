import Foundation
import Postgres
@testable import RegistryAPI
import RegistryCore
import Routing
import Testing
import TestSupport

/// auditor.md AUD-4: the list queries the server builds use the event indexes — checked with
/// EXPLAIN on the exact SQL of `EventList` over 200,000 events, with both the plan for the actual
/// values and the generic plan a cached prepared statement may switch to.
@Suite("Events: AUD-4 query plans")
struct EventQueryPlanTests {
    static let eventCount = 200_000

    /// Loads 2,000 objects with 5 files each and `eventCount` events spread over two years.
    static func load(_ registry: TestRegistry) throws {
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("example.org")
        let sql = try registry.sql()
        try sql.query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
            SELECT i.identifier || '/bag' || g, 'bag' || g, i.id, 'T', 'institution'
            FROM generate_series(1, 1000) g CROSS JOIN institutions i
            """)
        try sql.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size)
            SELECT o.identifier || '/data/f' || g, o.id, o.identifier, o.institution_id, 'text/plain',
                   'https://s3.example/' || o.id || '-' || g, 1
            FROM intellectual_objects o CROSS JOIN generate_series(1, 5) g
            """)
        // Every file gets events, plus object-level ones; sequence per institution by row order.
        try sql.query("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent,
                                       intellectual_object_id, intellectual_object_identifier, generic_file_id,
                                       generic_file_identifier, institution_id, sequence, entry_hash, chain_hash)
            SELECT gen_random_uuid(), 'fixity check',
                   timestamptz '2023-01-01' + (n * interval '5 minutes'), 'Success', 'd', 'od', 'o', 'a',
                   f.intellectual_object_id, f.intellectual_object_identifier,
                   CASE WHEN n % 6 = 0 THEN NULL ELSE f.id END,
                   CASE WHEN n % 6 = 0 THEN NULL ELSE f.identifier END,
                   f.institution_id,
                   row_number() OVER (PARTITION BY f.institution_id ORDER BY n),
                   sha256(n::text::bytea), sha256(n::text::bytea)
            FROM generate_series(1, \(eventCount)) n
            JOIN generic_files f ON f.id = 1 + (n * 7919) % 10000
            """)
        try sql.query("ANALYZE")
    }

    /// The EXPLAIN text of the rows query for `rawQuery`, with the plan-cache mode given.
    static func plan(_ rawQuery: String, caller: Caller, generic: Bool, on connection: PGConnection) throws -> String {
        let query = try EventListQuery(QueryParameters(rawQuery: Substring(rawQuery)), pathInstitution: false)
        let scope = try #require(try EventListScope(query, parent: nil, caller: caller, on: connection))
        return try connection.planText(of: EventList.pageSQL(query, scope).rows, genericPlan: generic)
    }

    /// The loaded registry, a session on it and two callers of test.edu (an admin, an inst admin).
    struct PlanWorld {
        let registry: TestRegistry
        let connection: PGConnection
        let admin: Caller
        let instAdmin: Caller

        init() throws {
            registry = try TestRegistry.start()
            try EventQueryPlanTests.load(registry)
            connection = try PGConnection.connect(PGConnectionSettings(connectionString: registry.conninfo))
            let institutionID = try #require(Int64(try registry.eventTestValue(
                "SELECT id FROM institutions WHERE identifier = 'test.edu'") ?? ""))
            admin = Caller(userID: 1, email: "a@test.edu", role: .admin, institutionID: institutionID,
                           institutionIdentifier: "test.edu", authMethod: "api_key:1")
            instAdmin = Caller(userID: 2, email: "b@test.edu", role: .institutionalAdmin, institutionID: institutionID,
                               institutionIdentifier: "test.edu", authMethod: "api_key:2")
        }
    }

    @Test("AUD-4: object, file, institution + 1-day date_time range, and the default lists use their indexes")
    func listsUseIndexes() throws {
        let world = try PlanWorld()
        let (connection, admin, instAdmin) = (world.connection, world.admin, world.instAdmin)
        let cases: [(query: String, caller: Caller, index: String)] = [
            ("object_identifier=test.edu%2Fbag7&per_page=100", admin, "premis_events_object_date_time_idx"),
            ("file_identifier=test.edu%2Fbag7%2Fdata%2Ff3&per_page=100", admin, "premis_events_file_date_time_idx"),
            ("institution=test.edu&date_time_after=2023-06-01&date_time_before=2023-06-02&per_page=100", admin,
             "premis_events_institution_date_time_idx"),
            ("date_time_after=2023-06-01&date_time_before=2023-06-02&per_page=100", instAdmin,
             "premis_events_institution_date_time_idx"),
            ("per_page=100", admin, "premis_events_date_time_idx"),
            ("per_page=100", instAdmin, "premis_events_institution_date_time_idx"),
            ("institution=test.edu&sort=sequence&sequence_min=5000&per_page=100", admin, "premis_events_institution_sequence_key"),
        ]
        for (query, caller, index) in cases {
            for generic in [false, true] {
                let text = try Self.plan(query, caller: caller, generic: generic, on: connection)
                #expect(text.contains(index), "\(query) generic=\(generic):\n\(text)")
                #expect(!text.contains("Seq Scan on premis_events"), "\(query) generic=\(generic):\n\(text)")
            }
        }
    }

    @Test("AUD-1: a rare event_type of a big institution is read through the type index, also in a generic plan")
    func rareEventTypeUsesTheTypeIndex() throws {
        let world = try PlanWorld()
        // 30 deletions among 200,000 fixity checks. Were the type a bound parameter, a generic
        // plan would assume an average type and walk the institution's date_time index (every
        // event of test.edu) to fill the page (EventFilterLiterals).
        try world.registry.sql().query("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent,
                                       intellectual_object_id, intellectual_object_identifier, institution_id, sequence,
                                       entry_hash, chain_hash)
            SELECT gen_random_uuid(), 'deletion', timestamptz '2023-03-01' + n * interval '1 day', 'Success', 'd', 'od',
                   'o', 'a', o.id, o.identifier, o.institution_id,
                   (SELECT max(sequence) FROM premis_events WHERE institution_id = o.institution_id) + n,
                   sha256(n::text::bytea), sha256(n::text::bytea)
            FROM generate_series(1, 30) n JOIN intellectual_objects o ON o.identifier = 'test.edu/bag7'
            """)
        try world.registry.sql().query("ANALYZE premis_events")
        // (Several types stay one bound `= ANY`, to keep the statement texts few.)
        for query in ["institution=test.edu&event_type=deletion&per_page=100",
                      "institution=test.edu&event_type=deletion&event_type=deletion&per_page=100"] {
            for generic in [false, true] {
                let text = try Self.plan(query, caller: world.admin, generic: generic, on: world.connection)
                #expect(text.contains("premis_events_type_created_idx"), "\(query) generic=\(generic):\n\(text)")
            }
        }
    }
}
