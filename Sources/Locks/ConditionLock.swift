#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A pthread mutex with one condition variable, for the few places where a dedicated thread must
/// sleep until another thread changes shared state (worker queue, streaming back-pressure).
/// `Synchronization.Mutex` has no condition variable, and a semaphore loses the "predicate" that
/// makes spurious wake-ups harmless.
public final class ConditionLock: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private let condition: UnsafeMutablePointer<pthread_cond_t>

    public init() {
        mutex = .allocate(capacity: 1)
        condition = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
        var attributes = pthread_condattr_t()
        pthread_condattr_init(&attributes)
        // Timed waits use CLOCK_MONOTONIC so a wall-clock jump cannot stretch or cut them.
        pthread_condattr_setclock(&attributes, CLOCK_MONOTONIC)
        pthread_cond_init(condition, &attributes)
        pthread_condattr_destroy(&attributes)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }

    /// Call with the lock held (inside `withLock`): sleeps until signalled.
    public func wait() {
        pthread_cond_wait(condition, mutex)
    }

    /// Call with the lock held: sleeps until signalled or until the monotonic deadline (nanoseconds).
    /// Returns false on timeout.
    public func wait(untilMonotonic deadline: UInt64) -> Bool {
        var time = timespec(tv_sec: Int(deadline / 1_000_000_000), tv_nsec: Int(deadline % 1_000_000_000))
        return pthread_cond_timedwait(condition, mutex, &time) != ETIMEDOUT
    }

    public func signal() { pthread_cond_signal(condition) }
    public func broadcast() { pthread_cond_broadcast(condition) }
}

/// Monotonic nanoseconds, for deadlines and durations.
public enum MonotonicClock {
    public static func now() -> UInt64 {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return UInt64(time.tv_sec) * 1_000_000_000 + UInt64(time.tv_nsec)
    }
}
