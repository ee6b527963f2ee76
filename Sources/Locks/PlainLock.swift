#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A value behind a plain (non-PI, non-spinning) pthread mutex: for the locks every request takes
/// (database pool, event-loop task queue, access log, metrics, Date header).
///
/// Not `Synchronization.Mutex`: on Linux that is a priority-inheritance futex whose contended path
/// spins. With 40 worker threads, the event loops and PostgreSQL's backends sharing 2 cores, a
/// thread spinning for a lock whose holder was preempted burns the very CPU the holder needs.
/// `perf` during `make bench-api` (GET object, 32 connections) put 26 % of the server's CPU in
/// `Mutex._lockSlow` under the database pool's lock and, once that was replaced, 6 % more under the
/// access log's. A glibc mutex sleeps instead. Keep it for hot locks; `Mutex` is fine where
/// contention is rare.
public final class PlainLock<Value>: @unchecked Sendable {
    // Inlinable across modules (like `Mutex.withLock`), so each hot lock site is specialized rather
    // than calling an unspecialized generic.
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    // Only touched with `mutex` held.
    @usableFromInline var value: Value

    public init(_ value: Value) {
        self.value = value
        mutex = .allocate(capacity: 1)
        pthread_mutex_init(mutex, nil)
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inlinable
    public func withLock<T>(_ body: (inout Value) throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
