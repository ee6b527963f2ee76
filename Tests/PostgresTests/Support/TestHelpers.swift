import Foundation
import Postgres
import Synchronization
import TestSupport


/// A new connection to a new, empty database.
func freshConnection(statementTimeoutMs: Int? = nil) throws -> PGConnection {
    try PGConnection.connect(PGConnectionSettings(
        connectionString: try TestPostgres.freshDatabase(), applicationName: "postgres-tests",
        statementTimeoutMs: statementTimeoutMs))
}

/// Runs `body(index)` on `count` dedicated threads (never Swift's cooperative pool: the code under
/// test blocks) and returns when all have finished.
func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let group = DispatchGroup()
    for index in 0..<count {
        group.enter()
        let thread = Thread {
            body(index)
            group.leave()
        }
        thread.start()
    }
    group.wait()
}

/// Starts `body` on a dedicated thread and returns at once; `wait()` joins it.
final class BackgroundThread: Sendable {
    private let done = DispatchSemaphore(value: 0)

    init(_ body: @escaping @Sendable () -> Void) {
        let done = self.done
        Thread {
            body()
            done.signal()
        }.start()
    }

    func wait() { done.wait() }
}

/// A thread-safe collection of values produced by several threads.
final class Collected<Value: Sendable>: Sendable {
    private let values = Mutex<[Value]>([])

    func append(_ value: Value) { values.withLock { $0.append(value) } }
    var all: [Value] { values.withLock { $0 } }
}

/// Seconds elapsed while running `body`.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let start = ContinuousClock.now
    try body()
    let (seconds, attoseconds) = (ContinuousClock.now - start).components
    return Double(seconds) + Double(attoseconds) / 1e18
}
