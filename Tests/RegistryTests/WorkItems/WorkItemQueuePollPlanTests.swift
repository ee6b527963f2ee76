import Foundation
import Postgres
import Testing
import TestSupport
@testable import RegistryAPI
import RegistryCore
import Routing

/// The queue poller's list (domain.md §8.2 step 2, W5) must be served by the partial index
/// `work_items_queue_poll_idx` also once PostgreSQL switches the prepared statement to its generic
/// plan (after five executions): see the note on `WorkItemListQuery`.
@Suite("Work items: queue poller plan")
struct WorkItemQueuePollPlanTests {
    @Test("W5/§8.2: the poller's statement, prepared and executed 8 times, uses work_items_queue_poll_idx without a sort, also as a generic plan")
    func queuePollerUsesPartialIndex() throws {
        let api = try WorkItemFixture.start()
        // Many processed (queued, with a node) items and a few waiting ones, as in production.
        try insertItems(api, count: 20_000, queuedAt: "now()", node: "'worker-1'", status: "'Success'")
        try insertItems(api, count: 2_000, queuedAt: "now()", status: "'Started'")
        try insertItems(api, count: 30)
        try insertItems(api, count: 20, retry: "false")
        try api.registry.sql().query("ANALYZE work_items")

        let query = try QueryParameters(rawQuery: "node_empty=true&page=1&per_page=100&queued=false&retry=true&status=Pending")
        let caller = Caller(userID: 1, email: "system@aptrust.org", role: .admin, institutionID: 1,
                            institutionIdentifier: "aptrust.org", authMethod: "test")
        let list = try WorkItemListQuery(query, caller: caller, sort: nil)
        let page = list.page(selectList: Representations.workItemForAdmin.selectList, limit: 101, offset: 0)
        let rows = page.rows

        // The product's own client: each distinct SQL text becomes a named prepared statement.
        let connection = try PGConnection.connect(PGConnectionSettings(connectionString: api.registry.conninfo))
        for _ in 0..<8 {
            #expect(try connection.query(rows).rowCount == 30)
            #expect(try connection.query(page.count).int(0, 0) == 30)
        }
        for (statement, parameters) in [(rows.sql, "('Pending', true, 101, 0)"), (page.count.sql, "('Pending', true)")] {
            let prepared = try connection.query("""
                SELECT name, generic_plans, custom_plans, parameter_types::text FROM pg_prepared_statements
                WHERE statement = \(statement)
                """)
            #expect(prepared.rowCount == 1)
            let name = prepared.string(0, 0) ?? ""
            // One prepared statement, planned for each of the 8 executions (custom or generic).
            #expect(try (prepared.int(0, 1) ?? 0) + (prepared.int(0, 2) ?? 0) == 8, "plans of \(statement)")
            let types = prepared.string(0, 3) ?? ""
            #expect(types.hasPrefix("{text,boolean"), "\(types)")
            for mode in ["auto", "force_generic_plan"] {
                _ = try connection.execute("SET plan_cache_mode = \(mode)")
                let explained = try connection.execute("EXPLAIN EXECUTE \(name)\(parameters)")
                let plan = PGConnection.lines(explained)
                #expect(plan.contains("work_items_queue_poll_idx"), "\(mode):\n\(plan)")
                #expect(!plan.contains("Sort"), "\(mode):\n\(plan)")
                #expect(!plan.contains("Seq Scan on work_items"), "\(mode):\n\(plan)")
            }
        }
    }
}
