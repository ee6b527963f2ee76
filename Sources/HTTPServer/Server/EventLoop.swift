import Dispatch

/// One serial queue that owns a share of the connections: their sockets' Dispatch sources fire on
/// it, and all their state is touched only on it. A coarse sweeper on the same queue enforces the
/// time limits (OPS-52..54) — one timer per loop instead of one per connection, so 1,000 idle
/// keep-alive connections cost 1,000 map entries and no timers.
final class EventLoop: @unchecked Sendable {
    let queue: DispatchQueue
    /// Guarded by `queue`.
    private var connections: [ObjectIdentifier: HTTPConnection] = [:]
    private var sweeper: (any DispatchSourceTimer)?

    /// How often deadlines are checked; limits are honoured to within this much.
    static let sweepInterval: DispatchTimeInterval = .milliseconds(250)

    init(label: String) {
        queue = DispatchQueue(label: label)
    }

    /// Starts the sweeper. Call once.
    func start() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + Self.sweepInterval, repeating: Self.sweepInterval, leeway: .milliseconds(50))
        timer.setEventHandler { [unowned self] in
            self.sweep()
        }
        sweeper = timer
        timer.resume()
    }

    func stop() {
        queue.sync {
            sweeper?.cancel()
            sweeper = nil
        }
    }

    /// On `queue`.
    func register(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = connection
    }

    /// On `queue`.
    func unregister(_ connection: HTTPConnection) {
        connections[ObjectIdentifier(connection)] = nil
    }

    /// On `queue`: a snapshot, since callbacks may unregister.
    var currentConnections: [HTTPConnection] { Array(connections.values) }

    private func sweep() {
        let now = MonotonicClock.now()
        for connection in connections.values {
            connection.checkDeadlines(now: now)
        }
    }
}
