#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import CryptoSupport
import Locks

/// Bounds the PBKDF2 work (WEB-3: 600,000 iterations, about 0.1 s of one core each) the server
/// does at once.
///
/// Why: `POST /login` is open to anyone and costs a full PBKDF2 run even for an unknown e-mail
/// (WEB-1 must not reveal which accounts exist). Without a bound, a burst of sign-in attempts
/// occupies every responder thread and both cores, and the ingest workers' API calls queue behind
/// them: exactly the "unresponsive under load" the registry replaces. With it, at most `slots`
/// hashes run at once (leaving the other cores to the API and PostgreSQL), at most `maxWaiting`
/// responder threads wait for a slot, and any attempt beyond that is refused at once (503) rather
/// than holding a thread.
public final class PasswordHashingGate: @unchecked Sendable {
    /// Thrown when the gate is full, or a slot did not free within the wait limit.
    public struct Busy: Error, Sendable {}

    /// The process-wide gate: one hash at a time per two cores (at least one), up to 8 waiting,
    /// each for at most 5 s. A hash takes about 0.1 s, so the 8 waiting are served well within that.
    public static let shared = PasswordHashingGate(
        slots: max(1, activeCoreCount() / 2), maxWaiting: 8, maxWaitNanoseconds: 5_000_000_000)

    private let lock = ConditionLock()
    private let slots: Int
    private let maxWaiting: Int
    private let maxWaitNanoseconds: UInt64
    // Guarded by `lock`.
    private var running = 0
    private var waiting = 0

    public init(slots: Int, maxWaiting: Int, maxWaitNanoseconds: UInt64) {
        self.slots = max(1, slots)
        self.maxWaiting = max(0, maxWaiting)
        self.maxWaitNanoseconds = maxWaitNanoseconds
    }

    /// Callers waiting for a slot now (for tests and diagnostics).
    public var waitingCount: Int {
        lock.withLock { waiting }
    }

    /// Runs `body` (the PBKDF2 work) once a slot is free; throws `Busy` without running it when
    /// `maxWaiting` callers already wait or no slot frees within the wait limit.
    public func run<T>(_ body: () throws -> T) throws -> T {
        try acquire()
        defer { release() }
        return try body()
    }

    private func acquire() throws(Busy) {
        let admitted: Bool = lock.withLock {
            if running < slots {
                running += 1
                return true
            }
            guard waiting < maxWaiting else { return false }
            waiting += 1
            defer { waiting -= 1 }
            let deadline = MonotonicClock.now() + maxWaitNanoseconds
            while running >= slots {
                // A spurious or timed-out wake-up re-checks the slot count; only the deadline ends the wait.
                if !lock.wait(untilMonotonic: deadline) && running >= slots { return false }
            }
            running += 1
            return true
        }
        guard admitted else { throw Busy() }
    }

    private func release() {
        lock.withLock {
            running -= 1
            lock.signal()
        }
    }

    private static func activeCoreCount() -> Int {
        Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))
    }
}

/// The PBKDF2 operations of WEB-3, each through the shared gate. Every server path that hashes a
/// password uses these rather than `PasswordHash` directly.
public enum GatedPasswordHash {
    public static func verify(password: String, against stored: String) throws -> Bool {
        try PasswordHashingGate.shared.run { PasswordHash.verify(password: password, against: stored) }
    }

    public static func make(password: String) throws -> String {
        try PasswordHashingGate.shared.run { PasswordHash.make(password: password) }
    }
}
