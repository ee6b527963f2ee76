#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Locks
import Synchronization

/// The HTTP layer's part of `/metrics` (operations.md OPS-37). Route labels are templates or
/// `unmatched`, never raw paths (OPS-38), so the label sets stay small.
///
/// Recording is striped: every request updates a counter and a histogram, and with one lock the
/// worker threads queued on it (a profile under wrk showed a quarter of the server's CPU in that
/// lock). Each thread records into the stripe picked by its stack address; `/metrics` merges them.
public final class ServerMetrics: Sendable {
    private struct RequestKey: Hashable {
        let method: String
        let route: String
        let status: Int
    }

    private struct DurationKey: Hashable {
        let method: String
        let route: String
    }

    private struct Stripe {
        var requests: [RequestKey: UInt64] = [:]
        var durations: [DurationKey: Histogram] = [:]
    }

    /// `Mutex` cannot live in an array (it is not copyable); each stripe is boxed.
    private final class StripeBox: Sendable {
        let state = PlainLock(Stripe())
    }

    private static let stripeCount = 16
    private let stripes: [StripeBox] = (0..<ServerMetrics.stripeCount).map { _ in StripeBox() }
    private let inFlight = Atomic<Int>(0)
    private let connectionsOpen = Atomic<Int>(0)
    private let connectionsRejected = Atomic<Int>(0)

    public init() {}

    func requestStarted() { inFlight.add(1, ordering: .relaxed) }

    /// A request counted as started but refused before a worker took it (it is recorded by `record`).
    func requestNotStarted() { inFlight.subtract(1, ordering: .relaxed) }

    func requestFinished(method: String, route: String, status: Int, seconds: Double) {
        inFlight.subtract(1, ordering: .relaxed)
        record(method: method, route: route, status: status, seconds: seconds)
    }

    /// Counts an answered request (also those the HTTP layer answers itself, never "in flight").
    func record(method: String, route: String, status: Int, seconds: Double) {
        // Thread stacks are at least 1 MiB apart, so bits above 20 of pthread_self differ per thread.
        let stripe = Int((UInt(pthread_self()) >> 20) % UInt(Self.stripeCount))
        stripes[stripe].state.withLock { stripe in
            stripe.requests[RequestKey(method: method, route: route, status: status), default: 0] += 1
            stripe.durations[DurationKey(method: method, route: route), default: Histogram()].observe(seconds)
        }
    }

    func connectionOpened() { connectionsOpen.add(1, ordering: .relaxed) }
    func connectionClosed() { connectionsOpen.subtract(1, ordering: .relaxed) }
    func connectionRejected() { connectionsRejected.add(1, ordering: .relaxed) }

    public var openConnections: Int { connectionsOpen.load(ordering: .relaxed) }
    public var requestsInFlight: Int { inFlight.load(ordering: .relaxed) }

    /// Appends this layer's metric families in the Prometheus text format (version 0.0.4).
    public func render(into text: inout String) {
        var requests: [RequestKey: UInt64] = [:]
        var durations: [DurationKey: Histogram] = [:]
        for stripe in stripes {
            let snapshot = stripe.state.withLock { $0 }
            requests.merge(snapshot.requests, uniquingKeysWith: +)
            durations.merge(snapshot.durations) { $0.merged(with: $1) }
        }
        text += "# HELP registry_http_requests_total HTTP requests answered.\n"
        text += "# TYPE registry_http_requests_total counter\n"
        for (key, value) in requests.sorted(by: { ($0.key.route, $0.key.method, $0.key.status) < ($1.key.route, $1.key.method, $1.key.status) }) {
            text += "registry_http_requests_total{method=\"\(key.method)\",route=\"\(prometheusLabel(key.route))\",status=\"\(key.status)\"} \(value)\n"
        }
        text += "# HELP registry_http_request_duration_seconds Time from complete request head to response handed to the socket.\n"
        text += "# TYPE registry_http_request_duration_seconds histogram\n"
        for (key, histogram) in durations.sorted(by: { ($0.key.route, $0.key.method) < ($1.key.route, $1.key.method) }) {
            histogram.render(name: "registry_http_request_duration_seconds",
                             labels: "method=\"\(key.method)\",route=\"\(prometheusLabel(key.route))\"", into: &text)
        }
        text += "# HELP registry_http_requests_in_flight Requests being processed.\n"
        text += "# TYPE registry_http_requests_in_flight gauge\n"
        text += "registry_http_requests_in_flight \(requestsInFlight)\n"
        text += "# HELP registry_http_connections_open Open client connections.\n"
        text += "# TYPE registry_http_connections_open gauge\n"
        text += "registry_http_connections_open \(openConnections)\n"
        text += "# HELP registry_http_connections_rejected_total Connections refused at MAX_CONNECTIONS.\n"
        text += "# TYPE registry_http_connections_rejected_total counter\n"
        text += "registry_http_connections_rejected_total \(connectionsRejected.load(ordering: .relaxed))\n"
    }
}
