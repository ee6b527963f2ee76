#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Locks

/// A fixed set of dedicated threads that run responders.
///
/// Responders block: they wait for a database connection and make synchronous libpq calls. Blocking
/// Swift's cooperative pool (2 threads here) would stall every task, and fanning out onto
/// `DispatchQueue.global()` creates threads without bound under load (Kuery's failure), so blocking
/// work runs here: N threads, one FIFO queue, nothing else.
final class WorkerPool: @unchecked Sendable {
    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var jobs: [(@Sendable () -> Void)?] = []
    private var head = 0
    private var stopping = false
    private var threads: [pthread_t] = []

    init(threadCount: Int, name: String) {
        for _ in 0..<max(1, threadCount) {
            let box = Unmanaged.passRetained(self)
            // Allocated rather than `pthread_attr_t()`: with MemberImportVisibility the zero
            // initializer of this C struct resolves to whichever clang module first declared it.
            let attributes = UnsafeMutablePointer<pthread_attr_t>.allocate(capacity: 1)
            defer { attributes.deallocate() }
            pthread_attr_init(attributes)
            // Responders build JSON and decode bodies; 1 MiB of stack is ample and keeps threads cheap.
            pthread_attr_setstacksize(attributes, 1 << 20)
            var thread: pthread_t = 0
            let result = pthread_create(&thread, attributes, { raw in
                let pool = Unmanaged<WorkerPool>.fromOpaque(raw!).takeRetainedValue()
                pool.runJobs()
                return nil
            }, box.toOpaque())
            pthread_attr_destroy(attributes)
            precondition(result == 0, "pthread_create failed: \(result)")
            threads.append(thread)
        }
    }

    /// Queues a job; jobs start in submission order.
    func submit(_ job: @escaping @Sendable () -> Void) {
        lock.withLock {
            jobs.append(job)
            lock.signal()
        }
    }

    /// Queues a job unless `limit` jobs already wait for a thread; returns false (job not queued)
    /// when the queue is full.
    ///
    /// Performance: the admission check and the append share one lock acquisition. This lock is
    /// taken by every request and by every idle worker; reading the queue length and then
    /// submitting took it twice per request (and let the count go stale in between).
    func submit(ifQueuedBelow limit: Int, _ job: @escaping @Sendable () -> Void) -> Bool {
        lock.withLock {
            guard jobs.count - head < limit else { return false }
            jobs.append(job)
            lock.signal()
            return true
        }
    }

    /// Lets the threads finish the queued jobs and exit; waits for them.
    func shutdown() {
        let running = lock.withLock {
            stopping = true
            lock.broadcast()
            return threads
        }
        for thread in running { pthread_join(thread, nil) }
        lock.withLock { threads.removeAll() }
    }

    private func runJobs() {
        while let job = nextJob() {
            job()
        }
    }

    private func nextJob() -> (@Sendable () -> Void)? {
        lock.withLock {
            while head == jobs.count {
                if stopping { return nil }
                lock.wait()
            }
            let job = jobs[head]
            jobs[head] = nil
            head += 1
            // Compact once the consumed prefix dominates, so the array does not grow forever.
            if head > 1024, head * 2 > jobs.count {
                jobs.removeFirst(head)
                head = 0
            }
            return job
        }
    }
}
