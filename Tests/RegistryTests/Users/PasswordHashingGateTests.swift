import Dispatch
import Foundation
import RegistryCore
import Testing

@Suite("Password hashing gate")
struct PasswordHashingGateTests {
    @Test("One slot, one waiter: the third caller is refused at once; the waiter runs when the slot frees")
    func boundsRunningAndWaiting() throws {
        let gate = PasswordHashingGate(slots: 1, maxWaiting: 1, maxWaitNanoseconds: 10_000_000_000)
        let holderInside = DispatchSemaphore(value: 0)
        let releaseHolder = DispatchSemaphore(value: 0)
        let waiterDone = DispatchSemaphore(value: 0)
        let holderDone = DispatchSemaphore(value: 0)
        let waiterRan = Flag()

        DispatchQueue.global().async {
            _ = try? gate.run {
                holderInside.signal()
                releaseHolder.wait()
            }
            holderDone.signal()
        }
        holderInside.wait()
        DispatchQueue.global().async {
            _ = try? gate.run { waiterRan.set() }
            waiterDone.signal()
        }
        // Once the waiter waits, a third caller finds no place and is refused at once.
        for _ in 0..<1000 where gate.waitingCount == 0 { usleep(1000) }
        #expect(gate.waitingCount == 1)
        #expect(throws: PasswordHashingGate.Busy.self) { try gate.run { () } }
        #expect(!waiterRan.value)
        releaseHolder.signal()
        #expect(waiterDone.wait(timeout: .now() + 10) == .success)
        #expect(holderDone.wait(timeout: .now() + 10) == .success)
        #expect(waiterRan.value)
        // Free again.
        #expect(try gate.run { 42 } == 42)
    }

    @Test("A waiter whose slot does not free within the limit is refused")
    func waitLimit() throws {
        let gate = PasswordHashingGate(slots: 1, maxWaiting: 4, maxWaitNanoseconds: 50_000_000)
        let holderInside = DispatchSemaphore(value: 0)
        let releaseHolder = DispatchSemaphore(value: 0)
        let holderDone = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            _ = try? gate.run {
                holderInside.signal()
                releaseHolder.wait()
            }
            holderDone.signal()
        }
        holderInside.wait()
        #expect(throws: PasswordHashingGate.Busy.self) { try gate.run { () } }
        releaseHolder.signal()
        #expect(holderDone.wait(timeout: .now() + 10) == .success)
        #expect(try gate.run { "free" } == "free")
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
