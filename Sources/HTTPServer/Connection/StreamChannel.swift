import Dispatch

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

    init(connection: HTTPConnection, highWater: Int) {
        self.connection = connection
        self.highWater = highWater
    }

    /// On the producer's thread: waits for room, then hands `bytes` to the loop. Throws once the
    /// connection is gone.
    func send(_ bytes: [UInt8]) throws(Closed) {
        guard !bytes.isEmpty else { return }
        let ok = lock.withLock {
            while !failed && queuedBytes > highWater {
                lock.wait()
            }
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
