import Foundation
import Postgres
@testable import RegistryAPI
import RegistryCore
import Routing
import Testing
import TestSupport

/// AUD-13: the first byte of an export within 2 s needs cursors whose plans start returning rows at
/// once (index order, no sort of every matching event). Checked with `EXPLAIN DECLARE … CURSOR`,
/// which plans exactly as the export's cursor is planned (for a fast start), over the 200,000
/// events of the list's plan test.
@Suite("Exports: AUD-13 cursor plans")
struct ExportQueryPlanTests {
    static func cursorPlans(_ rawQuery: String, caller: Caller, on connection: PGConnection) throws -> [String] {
        let query = try EventListQuery(QueryParameters(rawQuery: Substring(rawQuery)), pathInstitution: false,
                                       defaultSort: .sequence)
        let scope = try #require(try EventListScope(query, parent: nil, caller: caller, on: connection))
        let plan = EventExportStream.Plan(scope: scope, sort: query.sort, format: .ndjson, maxSeconds: 60)
        return try connection.transaction { connection in
            try EventExportStream.queries(plan, on: connection).map { cursor in
                try connection.planText(of: cursor, prefix: "EXPLAIN DECLARE plan_check NO SCROLL CURSOR FOR ")
            }
        }
    }

    @Test("AUD-13: sequence order per institution, date order and parent filters are read in index order")
    func exportCursorsStartFast() throws {
        let world = try EventQueryPlanTests.PlanWorld()
        let (connection, admin, instAdmin) = (world.connection, world.admin, world.instAdmin)
        let cases: [(query: String, caller: Caller, cursors: Int, index: String)] = [
            // An admin's full export: one cursor per institution, each in (institution_id, sequence) order.
            ("format=ndjson", admin, 2, "premis_events_institution_sequence_key"),
            ("format=ndjson&event_type=fixity+check", admin, 2, "premis_events_institution_sequence_key"),
            ("format=csv", instAdmin, 1, "premis_events_institution_sequence_key"),
            ("format=csv&sort=date", admin, 1, "premis_events_date_time_idx"),
            ("format=csv&object_identifier=test.edu%2Fbag7&sort=date_asc", admin, 1, "premis_events_object_date_time_idx"),
        ]
        for (query, caller, count, index) in cases {
            let plans = try Self.cursorPlans(query, caller: caller, on: connection)
            #expect(plans.count == count, "\(query)")
            for plan in plans {
                #expect(plan.contains(index), "\(query):\n\(plan)")
                #expect(!plan.contains("Seq Scan on premis_events"), "\(query):\n\(plan)")
                #expect(!plan.hasPrefix("Sort"), "no sort of every matching event before the first row: \(query):\n\(plan)")
            }
        }
    }
}
