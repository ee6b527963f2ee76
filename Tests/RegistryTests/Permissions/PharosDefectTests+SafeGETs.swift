import Foundation
import HTTPServer
import RegistryAPI
import Testing
import TestSupport

/// domain.md §7.3 row 8: Pharos changed state on GET (requeue, deactivate, confirm, snapshots).
extension PharosDefectTests {
    /// API-81: the only GETs allowed to change data — #10 and #20 (workers), #47–#50 (cron and the
    /// restore worker) — and, under `/member-api/v2` only, GET on #7 and #17.
    static let compatGETs: Set<String> = [
        "objects.finish_delete", "files.finish_delete", "notifications.failed_fixity",
        "notifications.successful_restoration", "notifications.spot_test_restoration", "notifications.deletion",
    ]
    static let memberCompatGETs: Set<String> = ["objects.restore", "files.restore"]

    @Test("§7.3 row 8 / API-81: every GET route but the [Compat] ones, derived from APIRouteTable.all, writes no audit row and changes no table")
    func onlyCompatGETsChangeData() throws {
        let world = try MatrixWorld.start()
        let admin = try #require(world.callers.first { $0.kind == .admin })
        let client = try world.registry.client()
        let before = try Self.tables(world)
        var sent = 0
        for route in APIRouteTable.all {
            for (prefix, methods) in [(APIPipeline.apiPrefix, route.methods), (APIPipeline.memberPrefix, route.memberMethods)]
            where methods.contains(.get) {
                let member = prefix == APIPipeline.memberPrefix
                if Self.compatGETs.contains(route.name) || (member && Self.memberCompatGETs.contains(route.name)) { continue }
                let rows = MatrixTable.all.filter { $0.route == route.name && $0.methods.contains("GET") }
                #expect(!rows.isEmpty, "no GET request known for \(route.name): is it a new state-changing GET?")
                for row in rows {
                    let target = switch row.targets {
                    case .none: MatrixTarget.unknown
                    case .institutions: world.institutionTargets[0]
                    case .cells, .cellsAndSpares: world.cells[0]
                    }
                    let response = try client.request(method: "GET", path: prefix + row.path(target), headers: admin.headers)
                    // A success (or, for a variant an admin may not call that way, its 400): the
                    // handler ran to the end, and still changed nothing.
                    #expect(row.passes(for: admin).contains(response.status), "GET \(prefix)\(row.path(target)): \(response.status)")
                    sent += 1
                }
            }
        }
        #expect(sent > 60)
        #expect(try Self.tables(world) == before, "a GET changed data")

        // Pharos's state-changing GETs answer 405 here (API-7, API-116) and change nothing.
        let cell = world.cells[0]
        let bulk = world.institutionTargets[0]
        let token = String(repeating: "0", count: 64)
        for path in ["/items/\(cell.itemID)/requeue", "/objects/\(workerEncoded(cell.objectIdentifier))/confirm_delete?confirmation_token=\(token)",
                     "/files/confirm_delete/\(workerEncoded(cell.fileIdentifier))?confirmation_token=\(token)",
                     "/deletions/\(cell.deletionID)/confirm", "/deletions/\(cell.deletionID)/cancel",
                     "/test.edu/confirm_bulk_delete_institution?bulk_delete_job_id=\(bulk.bulkDeletionID)&confirmation_token=\(token)",
                     "/test.edu/confirm_bulk_delete_admin?bulk_delete_job_id=\(bulk.bulkDeletionID)&confirmation_token=\(token)",
                     "/objects/\(workerEncoded(cell.objectIdentifier))/delete", "/notifications/\(bulk.notificationID)/sent"] {
            let response = try client.request(method: "GET", path: APIPipeline.apiPrefix + path, headers: admin.headers)
            #expect(response.status == 405, "GET \(path): \(response.status)")
        }
        // Restores by GET exist only in the member API ([Compat] for Pharos's member clients).
        let restore = "/objects/\(workerEncoded(cell.objectIdentifier))/restore"
        #expect(try client.request(method: "GET", path: APIPipeline.apiPrefix + restore, headers: admin.headers).status == 405)
        #expect(try Self.tables(world) == before, "a refused GET changed data")
    }

    /// Row count and content digest of every table (api_keys: count only — authentication stamps
    /// `last_used_at`, DOM-58, which is bookkeeping, not data).
    static func tables(_ world: MatrixWorld) throws -> [[String?]] {
        try world.registry.sql().query("""
            SELECT table_name,
                   (xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I', table_name), false, true, '')))[1]::text,
                   CASE WHEN table_name = 'api_keys' THEN NULL ELSE
                   (xpath('/row/c/text()', query_to_xml(
                       format('SELECT md5(coalesce(string_agg(t::text, %L ORDER BY t::text), %L)) AS c FROM %I t', ',', '', table_name),
                       false, true, '')))[1]::text END
            FROM information_schema.tables
            WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
            ORDER BY table_name
            """)
    }
}
