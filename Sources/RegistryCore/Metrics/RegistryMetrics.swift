import Locks
import Synchronization

/// The registry's own counters for `/metrics` (operations.md OPS-37). Label values come from closed
/// vocabularies, so the series stay few.
public final class RegistryMetrics: Sendable {
    private struct State {
        var eventsCreated: [EventKey: UInt64] = [:]
        /// Every resource that can be replayed (API-60) starts at 0, so the series exist from the
        /// first scrape and `rate()` sees the first replay.
        var replays: [String: UInt64] = ["checksum": 0, "event": 0, "generic_file": 0, "object": 0]
    }

    private struct EventKey: Hashable {
        let eventType: String
        let outcomeClass: String
    }

    private let state = PlainLock(State())
    private let authFailures = Atomic<Int>(0)
    private let loopReadsAnswered = Atomic<Int>(0)
    private let loopReadsHandedBack = Atomic<Int>(0)

    public init() {}

    public func eventCreated(type: String, outcome: String, count: Int = 1) {
        guard count > 0 else { return }
        let key = EventKey(eventType: type, outcomeClass: outcome == "Success" ? "success" : "failure")
        state.withLock { $0.eventsCreated[key, default: 0] += UInt64(count) }
    }

    public func idempotentReplay(resource: String) {
        state.withLock { $0.replays[resource, default: 0] += 1 }
    }

    public func authenticationFailed() {
        authFailures.add(1, ordering: .relaxed)
    }

    /// A hot read answered on its event loop (`answered`), or handed to a worker (not the common
    /// case, or the loop's session is not open).
    public func loopRead(answered: Bool) {
        if answered {
            loopReadsAnswered.add(1, ordering: .relaxed)
        } else {
            loopReadsHandedBack.add(1, ordering: .relaxed)
        }
    }

    /// Appends the families in Prometheus text format.
    public func render(into text: inout String) {
        let snapshot = state.withLock { $0 }
        text += "# HELP registry_events_created_total PREMIS events stored.\n"
        text += "# TYPE registry_events_created_total counter\n"
        for (key, value) in snapshot.eventsCreated.sorted(by: { ($0.key.eventType, $0.key.outcomeClass) < ($1.key.eventType, $1.key.outcomeClass) }) {
            text += "registry_events_created_total{event_type=\"\(key.eventType)\",outcome_class=\"\(key.outcomeClass)\"} \(value)\n"
        }
        text += "# HELP registry_idempotent_replays_total Creates answered as idempotent replays (API-60).\n"
        text += "# TYPE registry_idempotent_replays_total counter\n"
        for (resource, value) in snapshot.replays.sorted(by: { $0.key < $1.key }) {
            text += "registry_idempotent_replays_total{resource=\"\(resource)\"} \(value)\n"
        }
        text += "# HELP registry_api_auth_failures_total API requests refused with 401.\n"
        text += "# TYPE registry_api_auth_failures_total counter\n"
        text += "registry_api_auth_failures_total \(authFailures.load(ordering: .relaxed))\n"
        text += "# HELP registry_loop_reads_total Hot reads answered on an event loop, or handed to a worker.\n"
        text += "# TYPE registry_loop_reads_total counter\n"
        text += "registry_loop_reads_total{outcome=\"answered\"} \(loopReadsAnswered.load(ordering: .relaxed))\n"
        text += "registry_loop_reads_total{outcome=\"handed_back\"} \(loopReadsHandedBack.load(ordering: .relaxed))\n"
    }
}
