import Dispatch
import Locks

/// OPS-36's database check, answered within its 1 s whatever the database does.
///
/// Why not just call it on the request's thread: a database that hangs rather than refuses (a
/// stopped or paused server, a network path that drops packets) leaves `SELECT 1` waiting, and the
/// ping's cancel request itself waits on the same server. `/ready` then never answered, which is
/// exactly when a load balancer needs its 503. So the check runs on its own thread and the caller
/// waits for it at most `timeout`; at most one check runs at a time, so a hung database holds one
/// thread and one pooled connection, not one per probe of the load balancer.
final class ReadinessProbe: @unchecked Sendable {
    struct Outcome: Sendable {
        let databaseOK: Bool
        /// Meaningful only with `databaseOK`.
        let migrationsCurrent: Bool
    }

    private let lock = ConditionLock()
    private let check: @Sendable () -> Outcome
    // Guarded by `lock`.
    private var running = false
    private var completed = 0
    private var latest: Outcome?

    init(check: @escaping @Sendable () -> Outcome) {
        self.check = check
    }

    /// The outcome of a check that finished within `timeoutNanoseconds` of this call (the one
    /// already running, if any, else a new one); nil when none did.
    func outcome(timeoutNanoseconds: UInt64) -> Outcome? {
        let deadline = MonotonicClock.now() + timeoutNanoseconds
        return lock.withLock {
            let awaited = completed + 1
            if !running {
                running = true
                // A plain global-queue thread is fine here: at most one check is ever in flight.
                DispatchQueue.global().async { [self] in
                    let result = check()
                    lock.withLock {
                        latest = result
                        completed += 1
                        running = false
                        lock.broadcast()
                    }
                }
            }
            while completed < awaited {
                if !lock.wait(untilMonotonic: deadline) && completed < awaited { return nil }
            }
            return latest
        }
    }
}
