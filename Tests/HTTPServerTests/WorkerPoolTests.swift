import Dispatch
import Testing
@testable import HTTPServer

/// The admission check of the worker queue (the bounded queue behind OPS' 503 "server busy").
@Suite struct WorkerPoolTests {
    @Test("submit(ifQueuedBelow:) queues while fewer than the limit wait, refuses at the limit, runs what it queued")
    func boundedSubmit() throws {
        let pool = WorkerPool(threadCount: 1, name: "test-worker")
        let started = DispatchSemaphore(value: 0)
        let release = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        // Occupy the only thread so later jobs stay queued.
        #expect(pool.submit(ifQueuedBelow: 1) { started.signal(); release.wait(); finished.signal() })
        // Bounded, so a refused first job fails the test instead of hanging the run.
        try #require(started.wait(timeout: .now() + 5) == .success)
        #expect(pool.submit(ifQueuedBelow: 1) { finished.signal() })
        #expect(!pool.submit(ifQueuedBelow: 1) { Issue.record("a refused job ran") })
        #expect(pool.submit(ifQueuedBelow: 2) { finished.signal() })
        release.signal()
        for _ in 0..<3 { #expect(finished.wait(timeout: .now() + 5) == .success) }
        pool.shutdown()
    }
}
