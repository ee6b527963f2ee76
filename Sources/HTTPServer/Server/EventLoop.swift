#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CEpoll
import Locks
import Synchronization

/// One thread that owns a share of the connections: it waits in `epoll_wait` on their sockets and
/// runs their I/O itself, and all their state is touched only on it.
///
/// Why not Dispatch sources (the first version used them): on Linux every source event passes
/// through libdispatch's manager thread, which waits in epoll and then wakes a worker thread, and
/// every re-arm writes to an eventfd — two context switches per request. A profile under wrk put a
/// fifth of the CPU there, and the server reached 0.8× Hummingbird's throughput. Waiting on epoll on
/// the thread that does the work removes both switches. Dispatch still runs the accept source and the
/// signal handling.
///
/// Readiness is level-triggered (no lost-wakeup window, server-lessons §1.1); write interest is
/// registered only while output is pending. Other threads hand work to the loop with `execute`,
/// which wakes it through an eventfd only when it may be sleeping.
final class EventLoop: @unchecked Sendable {
    private let epollFD: Int32
    private let wakeFD: Int32
    private var thread: pthread_t = 0

    // Cross-thread task queue.
    private let tasks = PlainLock<[@Sendable () -> Void]>([])
    /// Set by `execute` when it writes the eventfd; cleared by the loop before it drains the tasks,
    /// so at most one wake-up write per batch of tasks.
    private let wakePending = Atomic<Bool>(false)
    private let stopRequested = Atomic<Bool>(false)

    /// Position among the server's loops (`LoopServices.index`).
    let index: Int

    // Confined to the loop thread.
    private var connections: [UInt64: HTTPConnection] = [:]
    /// Descriptors of loop-bound responders (`LoopServices.watch`), e.g. a database connection.
    private var watchers: [UInt64: any LoopWatcher] = [:]
    private var nextToken: UInt64 = 1
    private var nextSweep: UInt64 = 0

    /// How often deadlines are checked; limits are honoured to within this much.
    static let sweepIntervalNanoseconds: UInt64 = 250_000_000
    private static let wakeToken: UInt64 = 0

    init(label: String, index: Int = 0) {
        self.index = index
        epollFD = epoll_create1(Int32(EPOLL_CLOEXEC))
        precondition(epollFD >= 0, "epoll_create1 failed: \(errno)")
        wakeFD = eventfd(0, Int32(EFD_CLOEXEC | EFD_NONBLOCK))
        precondition(wakeFD >= 0, "eventfd failed: \(errno)")
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.u64 = Self.wakeToken
        precondition(epoll_ctl(epollFD, EPOLL_CTL_ADD, wakeFD, &event) == 0, "epoll_ctl(eventfd) failed: \(errno)")
    }

    deinit {
        close(wakeFD)
        close(epollFD)
    }

    /// Starts the loop's thread. Call once.
    func start() {
        let box = Unmanaged.passRetained(self)
        let result = pthread_create(&thread, nil, { raw in
            let loop = Unmanaged<EventLoop>.fromOpaque(raw!).takeRetainedValue()
            loop.run()
            return nil
        }, box.toOpaque())
        precondition(result == 0, "pthread_create failed: \(result)")
    }

    /// Stops the thread after the tasks already queued; waits for it.
    func stop() {
        stopRequested.store(true, ordering: .releasing)
        wake()
        pthread_join(thread, nil)
    }

    /// Runs `task` on the loop thread (from any thread, including the loop's own: then later).
    func execute(_ task: @escaping @Sendable () -> Void) {
        tasks.withLock { $0.append(task) }
        if !wakePending.exchange(true, ordering: .acquiringAndReleasing) {
            wake()
        }
    }

    /// Runs `task` on the loop thread and waits for it. Never call from the loop thread.
    func executeAndWait(_ task: @escaping @Sendable () -> Void) {
        let done = ConditionLock()
        let finished = Atomic<Bool>(false)
        execute {
            task()
            done.withLock {
                finished.store(true, ordering: .releasing)
                done.signal()
            }
        }
        done.withLock {
            while !finished.load(ordering: .acquiring) { done.wait() }
        }
    }

    private func wake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    // MARK: Registration (loop thread only)

    /// Watches `connection`'s socket for input; returns its token for later changes.
    func register(_ connection: HTTPConnection) -> UInt64 {
        let token = nextToken
        nextToken += 1
        connections[token] = connection
        control(EPOLL_CTL_ADD, fd: connection.fd, token: token, read: true, write: false)
        return token
    }

    /// Which readiness the connection wants now.
    func setInterest(_ connection: HTTPConnection, token: UInt64, read: Bool, write: Bool) {
        control(EPOLL_CTL_MOD, fd: connection.fd, token: token, read: read, write: write)
    }

    /// Stops watching; the caller closes the descriptor afterwards (epoll forgets a closed fd, but
    /// removing it first keeps a reused descriptor number from inheriting the registration).
    func unregister(_ connection: HTTPConnection, token: UInt64) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, connection.fd, &event)
        connections[token] = nil
    }

    /// Watches a descriptor that is not an HTTP connection (`LoopServices.watch`).
    func watch(_ fd: Int32, watcher: any LoopWatcher, read: Bool, write: Bool) -> UInt64 {
        let token = nextToken
        nextToken += 1
        watchers[token] = watcher
        control(EPOLL_CTL_ADD, fd: fd, token: token, read: read, write: write)
        return token
    }

    func updateWatch(fd: Int32, token: UInt64, read: Bool, write: Bool) {
        control(EPOLL_CTL_MOD, fd: fd, token: token, read: read, write: write)
    }

    func unwatch(fd: Int32, token: UInt64) {
        var event = epoll_event()
        _ = epoll_ctl(epollFD, EPOLL_CTL_DEL, fd, &event)
        watchers[token] = nil
    }

    /// A snapshot, since callbacks may unregister.
    var currentConnections: [HTTPConnection] { Array(connections.values) }

    private func control(_ operation: Int32, fd: Int32, token: UInt64, read: Bool, write: Bool) {
        var event = epoll_event()
        // Level-triggered: whatever is registered keeps firing while true, so input (and the peer's
        // half-close) is watched only while the connection wants to read.
        var flags: UInt32 = 0
        if read { flags |= EPOLLIN.rawValue | EPOLLRDHUP.rawValue }
        if write { flags |= EPOLLOUT.rawValue }
        event.events = flags
        event.data.u64 = token
        _ = epoll_ctl(epollFD, operation, fd, &event)
    }

    // MARK: The loop

    private func run() {
        let capacity = 256
        let events = UnsafeMutablePointer<epoll_event>.allocate(capacity: capacity)
        defer { events.deallocate() }
        nextSweep = MonotonicClock.now() + Self.sweepIntervalNanoseconds
        while !stopRequested.load(ordering: .acquiring) {
            let now = MonotonicClock.now()
            let timeout = now >= nextSweep ? 0 : Int32((nextSweep - now) / 1_000_000) + 1
            let count = epoll_wait(epollFD, events, Int32(capacity), timeout)
            if count < 0 && errno != EINTR { break }
            for index in 0..<max(0, Int(count)) {
                let event = events[index]
                let token = event.data.u64
                if token == Self.wakeToken {
                    drainWakeFD()
                    continue
                }
                let flags = event.events
                // A connection closed earlier in this batch is simply not found.
                guard let connection = connections[token] else {
                    if let watcher = watchers[token] {
                        let readable = flags & (EPOLLIN.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
                        watcher.loopEvents(readable: readable, writable: flags & EPOLLOUT.rawValue != 0)
                    }
                    continue
                }
                let readable = flags & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0
                if readable { connection.handleReadable() }
                if flags & EPOLLOUT.rawValue != 0, connections[token] != nil { connection.handleWritable() }
            }
            runTasks()
            let after = MonotonicClock.now()
            if after >= nextSweep {
                nextSweep = after + Self.sweepIntervalNanoseconds
                for connection in connections.values { connection.checkDeadlines(now: after) }
            }
        }
        runTasks()
    }

    private func drainWakeFD() {
        var value: UInt64 = 0
        _ = read(wakeFD, &value, 8)
    }

    private func runTasks() {
        // Clear the flag before taking the tasks: a task queued after this point wakes us again.
        wakePending.store(false, ordering: .releasing)
        let batch = tasks.withLock { tasks -> [@Sendable () -> Void] in
            let taken = tasks
            tasks.removeAll(keepingCapacity: true)
            return taken
        }
        for task in batch { task() }
    }
}
