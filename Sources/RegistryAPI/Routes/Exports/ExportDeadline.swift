import Dispatch
import HTTPServer
import Postgres
import Synchronization

/// `EXPORT_MAX_SECONDS` for one streamed export (auditor.md AUD-14; operations.md OPS-1).
///
/// The export runs with `statement_timeout = 0`, so nothing else bounds a FETCH that scans for a
/// long time. At the deadline a timer cancels whatever statement the export's connection is
/// running; the producer also checks `check()` between batches (a cancel that arrives while the
/// session is idle between two statements is discarded by the server, so the check is needed).
///
/// The owner MUST call `finish()` while it still holds the connection (before COMMIT/ROLLBACK and
/// before the connection goes back to the pool): from then on the timer can no longer cancel, so
/// a late cancel cannot hit the next lessee's statement. `fire` and `finish` take the same lock.
final class ExportDeadline: Sendable {
    /// The export ran out of time; after the first byte this truncates the transfer (AUD-15).
    struct Exceeded: Error, CustomStringConvertible {
        let seconds: Int
        var description: String { "export did not finish within EXPORT_MAX_SECONDS (\(seconds) s)" }
    }

    private struct State {
        var expired = false
        var finished = false
    }

    let seconds: Int
    private let connection: PGConnection
    private let state = Mutex(State())

    /// - Parameter writer: the stream's writer; its `isClientGone` is polled twice a second, and when
    ///   it turns true the running statement is cancelled too (again every half second until
    ///   `finish()`), so a client that hangs up during a slow FETCH releases the connection within a
    ///   second (AUD-15, and AUD-25 for PREMIS), not only at the next write.
    init(connection: PGConnection, seconds: Int, writer: any ResponseBodyWriter) {
        self.connection = connection
        self.seconds = seconds
        // Weak: a finished export must not keep its connection alive until the timer's deadline
        // (up to a day away); the pending timer then holds nothing but a nil reference.
        DispatchQueue.global().asyncAfter(deadline: .now() + .seconds(seconds)) { [weak self] in
            self?.fire()
        }
        let watched = WatchedWriter(writer)
        watchClient { watched.writer.isClientGone }
    }

    private func watchClient(_ clientGone: @escaping @Sendable () -> Bool) {
        DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(500)) { [weak self] in
            guard let self, !self.state.withLock({ $0.finished }) else { return }
            if clientGone() {
                self.state.withLock { state in
                    guard !state.finished else { return }
                    _ = self.connection.cancel()
                }
            }
            // Still watching after a cancel: one that reaches the session between two statements
            // (say, before the cursor's DECLARE starts waiting on a lock) is discarded by the
            // server, so it is repeated until the export lets go of its connection.
            self.watchClient(clientGone)
        }
    }

    /// Throws `Exceeded` once the deadline has passed.
    func check() throws(Exceeded) {
        if hasExpired { throw Exceeded(seconds: seconds) }
    }

    var hasExpired: Bool { state.withLock { $0.expired } }

    /// From now on the timer does nothing. Call before the connection leaves the owner's hands.
    func finish() {
        state.withLock { $0.finished = true }
    }

    private func fire() {
        state.withLock { state in
            guard !state.finished else { return }
            state.expired = true
            connection.cancel()
        }
    }
}

/// The stream's writer for the deadline's watchdog: only its `isClientGone` (a lock-protected flag)
/// is read from the timer's thread.
private struct WatchedWriter: @unchecked Sendable {
    let writer: any ResponseBodyWriter
    init(_ writer: any ResponseBodyWriter) { self.writer = writer }
}
