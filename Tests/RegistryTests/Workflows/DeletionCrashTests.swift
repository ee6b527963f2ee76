import Foundation
import Testing
import TestSupport

/// Issue 5 "Done when": a server killed (SIGKILL) while it approves a 200-object bulk deletion leaves
/// either every Delete item of the request or none (DOM-122/DOM-132 in one transaction, OPS-68).
@Suite("Workflows: crash during approval")
struct DeletionCrashTests {
    /// 200 objects of two files each, written in three statements.
    private func makeObjects(_ world: WorkflowWorld, prefix: String) throws -> [String] {
        let sql = try world.registry.sql()
        try sql.query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
            SELECT 'test.edu/' || $1 || n, $1 || n, i.id, 'Crash ' || n, 'institution'
            FROM institutions i, generate_series(1, 200) n WHERE i.identifier = 'test.edu'
            """, [prefix])
        try sql.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size)
            SELECT o.identifier || '/data/f' || k || '.txt', o.id, o.identifier, o.institution_id, 'text/plain',
                   'https://s3.example.org/' || md5(o.identifier || k), k
            FROM intellectual_objects o, generate_series(1, 2) k WHERE o.bag_name LIKE $1 || '%'
            """, [prefix])
        try sql.query("""
            UPDATE intellectual_objects SET file_count = 2, file_size = 3 WHERE bag_name LIKE $1 || '%'
            """, [prefix])
        return (1...200).map { "test.edu/\(prefix)\($0)" }
    }

    /// Triggers a bulk request for the objects and gets the institution's approval; returns the
    /// request id and the APTrust token.
    private func institutionApproved(_ world: WorkflowWorld, _ identifiers: [String]) throws -> (Int64, String) {
        let triggered = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin,
                                       json: ["ident_list": identifiers])
        try #require(triggered.status == 204, "trigger: \(triggered.text)")
        let id = try #require(WorkflowWorld.requestID(triggered))
        let token = try world.token(request: id, type: "bulk_deletion_request")
        try #require(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin,
                                    json: ["token": token]).status == 204)
        return (id, try world.token(request: id, type: "bulk_deletion_confirmation_partial"))
    }

    @Test("SIGKILL during the APTrust approval of 200 objects: after a restart all 400 Delete items exist or none do")
    func killDuringApproval() throws {
        var world = try WorkflowWorld.start()
        var outcomes: [Int] = []
        // nil: kill as soon as one of the server's database sessions is seen inside a transaction
        // that has written to work_items (surely mid-approval); else a fixed delay after sending,
        // the last one long enough for the approval to commit.
        let kills: [Int?] = [nil, 2_000, 10_000, 3_000_000]
        for (round, delayMicroseconds) in kills.enumerated() {
            let objects = try makeObjects(world, prefix: "crash\(round)-")
            let (id, token) = try institutionApproved(world, objects)

            // Send the approval and kill the server a few milliseconds later, without reading the answer.
            let body = Array(#"{"token":"\#(token)"}"#.utf8)
            var head = "POST /api/v2/deletions/\(id)/confirm HTTP/1.1\r\nHost: 127.0.0.1:\(world.registry.port)\r\n"
            for (name, value) in world.admin2.headers { head += "\(name): \(value)\r\n" }
            head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n\r\n"
            let client = try world.registry.client()
            try client.send(Array(head.utf8) + body)
            if let delayMicroseconds {
                usleep(useconds_t(delayMicroseconds))
            } else {
                #expect(try waitForApprovalInProgress(world), "round \(round): the approval was never seen in progress")
            }
            #expect(world.registry.stop(signal: SIGKILL) != nil)

            // Restart on the same database.
            let restarted = try TestRegistry.start(conninfo: world.registry.conninfo)
            world = WorkflowWorld(registry: restarted, client: try restarted.client(), admin: world.admin, admin2: world.admin2,
                                  instAdmin: world.instAdmin, instAdmin2: world.instAdmin2, instUser: world.instUser,
                                  otherAdmin: world.otherAdmin)
            let items = try world.count("SELECT count(*) FROM work_items WHERE deletion_request_id = $1::bigint", [String(id)])
            let status = try world.scalar("SELECT status FROM deletion_requests WHERE id = $1::bigint", [String(id)])
            let finals = try world.count("""
                SELECT count(*) FROM notifications
                WHERE deletion_request_id = $1::bigint AND notification_type = 'bulk_deletion_confirmation_final'
                """, [String(id)])
            let audits = try world.count("""
                SELECT count(*) FROM audit_log WHERE action = 'deletion.confirm' AND resource_id = $1::bigint
                """, [String(id)])
            #expect(items == 0 || items == 400, "round \(round): \(items) items")
            if items == 400 {
                #expect(status == "approved" && finals == 1 && audits == 2)
            } else {
                #expect(status == "institution_approved" && finals == 0 && audits == 1)
                // Nothing half-done blocks the approval: it succeeds after the restart.
                let retried = try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.admin2, json: ["token": token])
                #expect(retried.status == 204)
                #expect(try world.count("SELECT count(*) FROM work_items WHERE deletion_request_id = $1::bigint",
                                        [String(id)]) == 400)
            }
            outcomes.append(items)
        }
        #expect(outcomes.first == 0, "killed mid-transaction, nothing may remain")
        #expect(outcomes.last == 400, "killed after the commit, everything remains")
        // The short fixed delays may land either side of the commit; both are correct.
        print("crash rounds, Delete items found after restart: \(outcomes)")
    }

    /// Polls until a session of the server's database is inside a transaction that holds a lock on
    /// work_items (the Delete items are being inserted and not yet committed); false after 5 s.
    private func waitForApprovalInProgress(_ world: WorkflowWorld) throws -> Bool {
        let sql = try world.registry.sql()
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            let busy = try sql.scalar("""
                SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
                WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() AND a.xact_start IS NOT NULL
                  AND l.relation = 'work_items'::regclass AND l.mode = 'RowExclusiveLock'
                """)
            if busy != "0" { return true }
        }
        return false
    }
}
