import CryptoSupport
import Testing

@Suite struct ConstantTimeTests {
    @Test("Equal, different and different-length inputs")
    func equality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([0, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2]))
        #expect(!ConstantTime.equals([], [0]))
        #expect(ConstantTime.equals([], []))
    }

    @Test("String and raw-buffer overloads")
    func overloads() {
        #expect(ConstantTime.equals("csrf-token-value", "csrf-token-value"))
        #expect(!ConstantTime.equals("csrf-token-value", "csrf-token-valuE"))
        let a: [UInt8] = [9, 8, 7]
        let b: [UInt8] = [9, 8, 7]
        let same = a.withUnsafeBytes { aBytes in b.withUnsafeBytes { ConstantTime.equals(aBytes, $0) } }
        #expect(same)
    }
}
