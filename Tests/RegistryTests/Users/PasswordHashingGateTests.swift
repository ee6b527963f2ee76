import Dispatch
import Foundation
import RegistryCore
import Testing

@Suite("Password hashing gate")
struct PasswordHashingGateTests {
    @Test("One slot, one waiter: the third caller is refused at once; the waiter runs when the slot frees")
    func boundsRunningAndWaiting() throws {
        let gate = PasswordHashingGate(slots: 1, maxWaiting: 1, maxWaitNanoseconds: 10_000_000_000)
        let holder = SlotHolder(gate)
        let waiterDone = DispatchSemaphore(value: 0)
        let waiterRan = Flag()
        DispatchQueue.global().async {
            _ = try? gate.run { waiterRan.set() }
            waiterDone.signal()
        }
        // Once the waiter waits, a third caller finds no place and is refused at once.
        let deadline = Date().addingTimeInterval(10)
        while gate.waitingCount == 0 && Date() < deadline { usleep(1000) }
        #expect(gate.waitingCount == 1)
        #expect(throws: PasswordHashingGate.Busy.self) { try gate.run { () } }
        #expect(!waiterRan.value)
        #expect(holder.release())
        #expect(waiterDone.wait(timeout: .now() + 10) == .success)
        #expect(waiterRan.value)
        // Free again.
        #expect(try gate.run { 42 } == 42)
    }

    @Test("A waiter whose slot does not free within the limit is refused")
    func waitLimit() throws {
        let gate = PasswordHashingGate(slots: 1, maxWaiting: 4, maxWaitNanoseconds: 50_000_000)
        let holder = SlotHolder(gate)
        #expect(throws: PasswordHashingGate.Busy.self) { try gate.run { () } }
        #expect(holder.release())
        #expect(try gate.run { "free" } == "free")
    }
}

/// Another thread inside the gate's one slot until `release()`.
private final class SlotHolder: Sendable {
    private let inside = DispatchSemaphore(value: 0)
    private let leave = DispatchSemaphore(value: 0)
    private let done = DispatchSemaphore(value: 0)

    /// Returns once the holder is inside.
    init(_ gate: PasswordHashingGate) {
        DispatchQueue.global().async { [inside, leave, done] in
            _ = try? gate.run {
                inside.signal()
                leave.wait()
            }
            done.signal()
        }
        inside.wait()
    }

    /// Lets the holder leave; true once it has.
    func release() -> Bool {
        leave.signal()
        return done.wait(timeout: .now() + 10) == .success
    }
}

/// A thread-safe boolean for the test's threads.
private final class Flag: @unchecked Sendable {
    private let lock = DispatchSemaphore(value: 1)
    private var stored = false
    var value: Bool {
        lock.wait()
        defer { lock.signal() }
        return stored
    }
    func set() {
        lock.wait()
        stored = true
        lock.signal()
    }
}
