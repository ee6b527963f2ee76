#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Dispatch

/// Blocks the calling thread until SIGTERM or SIGINT arrives (OPS-45). Made when `serve` starts, so
/// a signal during startup (the database wait, migrations) is a clean stop too, never the default
/// action that would leave an embedded cluster running (OPS-15).
///
/// The handlers are built here, in nonisolated code, and marked @Sendable: a Dispatch handler formed
/// in main-actor code (top-level code, or an ArgumentParser `run`) inherits that isolation and traps
/// when libdispatch runs it on another queue (server-lessons §3.2).
final class SignalWaiter: @unchecked Sendable {
    private let queue = DispatchQueue(label: "signals")
    private var sources: [any DispatchSourceSignal] = []
    private let arrived = DispatchSemaphore(value: 0)
    // Written on `queue` before `arrived` is signalled, read after the wait.
    private var received: Int32 = 0

    init(signals: [Int32] = [SIGTERM, SIGINT]) {
        for number in signals {
            // Ignore first, or the default action kills the process before the source is registered.
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { @Sendable [self] in
                if received == 0 {
                    received = number
                    arrived.signal()
                }
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }

    /// The signal that arrived, if any, without waiting.
    func arrivedSignal() -> Int32? {
        queue.sync { received == 0 ? nil : received }
    }

    /// Returns the signal number.
    func wait() -> Int32 {
        arrived.wait()
        return queue.sync { received }
    }
}
