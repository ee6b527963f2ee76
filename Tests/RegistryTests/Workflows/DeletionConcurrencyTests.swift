import Foundation
import Testing
import TestSupport

/// Racing workflow steps: the row locks must make concurrent requests, confirmations and finishes
/// behave as if they came one after the other — never two requests, never duplicate items, never
/// a request left `approved` after its last record became `D` (DOM-120, DOM-122, DOM-126).
@Suite("Workflows: concurrency")
struct DeletionConcurrencyTests {
    /// Runs `body` `count` times in parallel, each on its own connection; returns the statuses.
    private func parallel(_ count: Int, _ body: @escaping @Sendable (Int) throws -> Int) -> [Int] {
        let statuses = StatusBox(count)
        DispatchQueue.concurrentPerform(iterations: count) { index in
            statuses.set(index, (try? body(index)) ?? -1)
        }
        return statuses.values.sorted()
    }

    @Test("DOM-111/122: confirming a file request queues its Delete item under the object's lock, as a file restore checks under it")
    func fileApprovalTakesTheObjectLock() throws {
        let world = try WorkflowWorld.start(environment: ["DB_STATEMENT_TIMEOUT_MS": "1000"])
        let object = try world.ingestedObject("bag", files: 2)
        let requested = try world.send("DELETE", "/api/v2/files/\(WorkflowWorld.encode(object.files[0]))", as: world.admin)
        let id = try #require(WorkflowWorld.requestID(requested))
        let token = try world.token(request: id, type: "deletion_request")
        // Another transaction holds the object row (as a concurrent file restore does while it
        // checks for pending work): the confirmation waits for it, here past the statement timeout.
        let blocker = try world.registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("SELECT id FROM intellectual_objects WHERE id = $1::bigint FOR NO KEY UPDATE", [String(object.id)])
        let waited = try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin, json: ["token": token])
        try blocker.query("ROLLBACK")
        #expect(waited.status == 503)
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action = 'Delete'") == 0)
        // Once the lock is free the same confirmation goes through.
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin, json: ["token": token]).status == 204)
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action = 'Delete'") == 1)
    }

    @Test("DOM-120: eight concurrent deletion requests for one object → one 204, seven 409, one request")
    func concurrentRequests() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 3)
        let registry = world.registry
        let admin = world.admin
        let statuses = parallel(8) { _ in
            try registry.client().request(method: "DELETE", path: "/api/v2/objects/test.edu%2Fbag/delete",
                                          headers: admin.headers).status
        }
        #expect(statuses == [204] + Array(repeating: 409, count: 7))
        #expect(try world.count("SELECT count(*) FROM deletion_requests") == 1)
        #expect(try world.count("SELECT count(*) FROM notifications") == 1)
    }

    @Test("DOM-122: four concurrent confirmations with the token → one 204, three 'already confirmed'; the items exist once")
    func concurrentConfirmations() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 5)
        let id = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        let registry = world.registry
        let confirmer = world.instAdmin2
        let statuses = parallel(4) { _ in
            try registry.client().request(method: "DELETE", path: "/api/v2/objects/test.edu%2Fbag/confirm_delete?confirmation_token=\(token)",
                                          headers: confirmer.headers).status
        }
        #expect(statuses == [200, 200, 200, 204])
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action = 'Delete'") == 5)
        #expect(try world.count("SELECT count(*) FROM notifications WHERE notification_type = 'deletion_confirmation'") == 1)
    }

    @Test("DOM-126: the last two files of a request, in two objects, finished at the same time still complete the request, once")
    func concurrentLastFinishes() throws {
        let world = try WorkflowWorld.start()
        for round in 0..<4 {
            // Files of two objects: the two finishes lock different object rows, so only the request
            // row lock orders their completion checks.
            let first = try world.ingestedObject("left\(round)", files: 2)
            let second = try world.ingestedObject("right\(round)", files: 2)
            let listed = [first.files[0], second.files[0]]
            let triggered = try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete", as: world.admin,
                                           json: ["ident_list": listed])
            let id = try #require(WorkflowWorld.requestID(triggered))
            #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin,
                                   json: ["token": try world.token(request: id, type: "bulk_deletion_request")]).status == 204)
            #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.admin2,
                                   json: ["token": try world.token(request: id, type: "bulk_deletion_confirmation_partial")]).status == 204)
            for file in listed {
                #expect(try world.send("POST", "/api/v2/events/", as: world.admin, json: [
                    "identifier": UUID().uuidString.lowercased(), "event_type": "deletion", "date_time": "2024-06-01T00:00:00Z",
                    "detail": "File deleted", "outcome": "Success", "outcome_detail": "system@aptrust.org", "object": "w",
                    "agent": "a", "generic_file_identifier": file,
                ]).status == 201)
            }
            let registry = world.registry
            let admin = world.admin
            let statuses = parallel(2) { index in
                try registry.client().request(method: "GET", path: "/api/v2/files/finish_delete/\(WorkflowWorld.encode(listed[index]))",
                                              headers: admin.headers).status
            }
            #expect(statuses == [204, 204])
            #expect(try world.scalar("SELECT status FROM deletion_requests WHERE id = $1::bigint", [String(id)]) == "completed")
            #expect(try world.count("""
                SELECT count(*) FROM notifications WHERE deletion_request_id = $1::bigint AND notification_type = 'deletion_finished'
                """, [String(id)]) == 1)
        }
    }
}

/// Results written from concurrent closures.
private final class StatusBox: @unchecked Sendable {
    private let lock = NSLock()
    private var storage: [Int]

    init(_ count: Int) { storage = Array(repeating: 0, count: count) }

    func set(_ index: Int, _ value: Int) {
        lock.lock()
        storage[index] = value
        lock.unlock()
    }

    var values: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return storage
    }
}
