import Dispatch
import Locks

/// Carries a streamed response from the worker thread that produces it to the connection's event
/// loop, with back-pressure: the producer sleeps while more than `highWater` bytes are queued but not
/// yet written to the socket, so exporting a million rows to a slow client holds a bounded amount
/// of memory (auditor.md AUD-13).
final class StreamChannel: @unchecked Sendable {
    struct Closed: Error {}

    private let lock = ConditionLock()
    // Guarded by `lock`.
    private var queuedBytes = 0
    private var failed = false

    private let connection: HTTPConnection
    private let highWater: Int
    /// Nanoseconds one wait for room may last, and the monotonic instant the whole stream ends by.
    private let stallLimit: UInt64
    private let deadline: UInt64

    /// A producer blocked here holds a worker thread, and usually a pooled database connection with
    /// an open transaction; a client that reads a trickle would hold them for as long as it likes.
    /// So a wait for room ends the stream after `stallSeconds` (the client took that long to read
    /// the high-water mark's worth of bytes), and no stream outlives `maxSeconds` in total.
    init(connection: HTTPConnection, highWater: Int, stallSeconds: Int, maxSeconds: Int) {
        self.connection = connection
        self.highWater = highWater
        stallLimit = UInt64(max(1, stallSeconds)) * 1_000_000_000
        deadline = MonotonicClock.now() + UInt64(max(1, maxSeconds)) * 1_000_000_000
    }

    /// On the producer's thread: waits for room, then hands `bytes` to the loop. Throws once the
    /// connection is gone, or when the client reads too slowly (see `init`).
    func send(_ bytes: [UInt8]) throws(Closed) {
        guard !bytes.isEmpty else { return }
        let ok = lock.withLock {
            if !failed && queuedBytes > highWater {
                let waitEnds = min(deadline, MonotonicClock.now() + stallLimit)
                while !failed && queuedBytes > highWater {
                    if !lock.wait(untilMonotonic: waitEnds) && queuedBytes > highWater {
                        failed = true  // too slow a reader: the stream ends truncated
                    }
                }
            }
            if MonotonicClock.now() >= deadline { failed = true }
            if failed { return false }
            queuedBytes += bytes.count
            return true
        }
        guard ok else { throw Closed() }
        let connection = connection
        connection.loop.execute {
            connection.enqueueStreamBytes(bytes, channel: self)
        }
    }

    /// On the loop, after `count` queued bytes reached the socket.
    func didWrite(_ count: Int) {
        lock.withLock {
            queuedBytes -= count
            if queuedBytes <= highWater { lock.broadcast() }
        }
    }

    /// On the loop, when the connection closes or breaks: the producer's next send throws.
    func fail() {
        lock.withLock {
            failed = true
            lock.broadcast()
        }
    }

    var isFailed: Bool { lock.withLock { failed } }
}
