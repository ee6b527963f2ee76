import Foundation
import Synchronization
import Testing
import TestSupport

/// DOM-140 under concurrency: the cron script and an operator (or two relays) may call the same
/// trigger at once; the events and items must still be notified exactly once.
@Suite("Notification triggers: concurrent calls")
struct TriggerConcurrencyTests {
    /// Runs `calls` requests at the same moment, each on its own connection; returns the statuses.
    static func concurrently(_ world: AlertWorld, _ calls: [(String, String)]) -> [Int] {
        let statuses = Mutex([Int](repeating: 0, count: calls.count))
        DispatchQueue.concurrentPerform(iterations: calls.count) { index in
            let client = try? world.registry.client(receiveTimeout: 60)
            let status = (try? client?.request(method: calls[index].0, path: calls[index].1,
                                               headers: world.admin.headers).status) ?? -1
            statuses.withLock { $0[index] = status }
        }
        return statuses.withLock { $0 }
    }

    @Test("DOM-140: four simultaneous failed_fixity calls create one notification (one 200, three 204)")
    func failedFixity() throws {
        let world = try AlertWorld.start()
        try world.objectWithFile("test.edu/bag/data/a.txt")
        try world.fixityEvents(["Failed", "Failure"], file: "test.edu/bag/data/a.txt")
        let statuses = Self.concurrently(world, Array(repeating: ("POST", "/api/v2/notifications/failed_fixity"), count: 4))
        #expect(statuses.sorted() == [200, 204, 204, 204])
        #expect(try world.outboxCounts() == [1, 2, 0])
    }

    @Test("API-132: eight simultaneous spot-test calls for one item create one notification and all answer 200")
    func spotTest() throws {
        let world = try AlertWorld.start()
        let id = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Restore", stage: "Resolve", status: "Success"))
        let statuses = Self.concurrently(world, Array(repeating: ("GET", "/api/v2/notifications/spot_test_restoration/\(id)"),
                                                          count: 8))
        #expect(statuses == Array(repeating: 200, count: 8))
        #expect(try world.outboxCounts() == [1, 0, 1])
    }

    @Test("DOM-140: simultaneous deletion and restoration triggers do not wait on or duplicate each other")
    func differentTriggers() throws {
        let world = try AlertWorld.start()
        try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Delete", stage: "Resolve", status: "Success"))
        try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Restore", stage: "Resolve", status: "Success"))
        let statuses = Self.concurrently(world, [
            ("POST", "/api/v2/notifications/deletion"), ("POST", "/api/v2/notifications/successful_restoration"),
            ("POST", "/api/v2/notifications/deletion"), ("POST", "/api/v2/notifications/successful_restoration"),
        ])
        #expect(statuses.sorted() == [200, 200, 204, 204])
        #expect(try world.notifications().map(\.type).sorted() == ["deletion_notifications", "multiple_restoration"])
    }
}
