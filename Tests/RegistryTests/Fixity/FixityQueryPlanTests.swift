import Foundation
import Postgres
@testable import RegistryAPI
import RegistryCore
import Routing
import Testing
import TestSupport

/// AUD-30: the overdue list reads the fixity indexes in order — (state, storage_option,
/// last_fixity_check, id) with one storage option, the partial (last_fixity_check, id) WHERE
/// state = 'A' without — under both the custom and the generic plan of the prepared statement.
@Suite("Fixity: AUD-30 query plans")
struct FixityQueryPlanTests {
    @Test("AUD-30: the overdue list uses the fixity indexes")
    func overdueUsesFixityIndexes() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("example.org")
        let sql = try registry.sql()
        try sql.query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
            SELECT i.identifier || '/bag' || g, 'bag' || g, i.id, 'T', 'institution'
            FROM generate_series(1, 500) g CROSS JOIN institutions i
            """)
        try sql.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size, state, storage_option, last_fixity_check)
            SELECT o.identifier || '/data/f' || g, o.id, o.identifier, o.institution_id, 'text/plain',
                   'https://s3.example/' || o.id || '-' || g, 1, CASE WHEN g % 10 = 0 THEN 'D' ELSE 'A' END,
                   CASE WHEN g % 4 = 0 THEN 'Glacier-OH' ELSE 'Standard' END,
                   now() - (g * 37 % 400) * interval '1 day'
            FROM intellectual_objects o CROSS JOIN generate_series(1, 60) g
            """)
        try sql.query("ANALYZE")
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: registry.conninfo))
        let admin = Caller(userID: 1, email: "a@test.edu", role: .admin, institutionID: 1, institutionIdentifier: "test.edu",
                           authMethod: "api_key:1")
        let cases: [(query: String, index: String)] = [
            ("days=90&per_page=100", "generic_files_active_fixity_idx"),
            ("days=90&storage_option=Standard&per_page=100", "generic_files_fixity_queue_idx"),
        ]
        for (query, index) in cases {
            let overdue = try FixityOverdue.OverdueQuery(QueryParameters(rawQuery: Substring(query)), caller: admin)
            for generic in [false, true] {
                let plan = try connection.planText(of: overdue.sql.rows, genericPlan: generic)
                #expect(plan.contains(index), "\(query) generic=\(generic):\n\(plan)")
                #expect(!plan.contains("Seq Scan on generic_files"), "\(query) generic=\(generic):\n\(plan)")
            }
        }
    }
}
