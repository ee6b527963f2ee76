/// Decides whether a new connection may be attempted (OPS-65). After a failed connect the circuit
/// opens for a back-off period (doubling per failure, capped) during which callers fail fast instead
/// of each waiting for a connect timeout; when the period ends, exactly one caller (the probe) tries
/// again while the others keep failing fast. A successful connect closes the circuit.
struct CircuitBreaker {
    enum Admission: Equatable {
        /// Healthy: connect.
        case closed
        /// Back-off elapsed: this caller alone tries to connect.
        case probe
        /// Back-off running or a probe in flight: fail fast.
        case open
    }

    let initialBackoff: Duration
    let maximumBackoff: Duration
    private(set) var backoff: Duration?
    private var retryAt: ContinuousClock.Instant?
    private var probeInFlight = false

    init(initialBackoff: Duration, maximumBackoff: Duration) {
        self.initialBackoff = initialBackoff
        self.maximumBackoff = maximumBackoff
    }

    var isOpen: Bool { retryAt != nil }

    mutating func admit(now: ContinuousClock.Instant) -> Admission {
        guard let retryAt else { return .closed }
        if probeInFlight || now < retryAt { return .open }
        probeInFlight = true
        return .probe
    }

    mutating func recordSuccess() {
        backoff = nil
        retryAt = nil
        probeInFlight = false
    }

    mutating func recordFailure(now: ContinuousClock.Instant) {
        let next = backoff.map { min($0 * 2, maximumBackoff) } ?? initialBackoff
        backoff = next
        retryAt = now + next
        probeInFlight = false
    }
}
