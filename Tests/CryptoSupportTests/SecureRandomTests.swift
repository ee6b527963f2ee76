import CryptoSupport
import Testing

@Suite struct SecureRandomTests {
    @Test("bytes() returns exactly the requested count")
    func lengths() {
        for count in [0, 1, 16, 32, 1000] {
            #expect(SecureRandom.bytes(count).count == count)
        }
    }

    @Test("DOM-57 / DOM-59: 32 bytes as 64 lower-case hex characters")
    func hexKeys() {
        let key = SecureRandom.hex(byteCount: 32)
        #expect(key.count == 64)
        #expect(key.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
        #expect(SecureRandom.hex(byteCount: 0) == "")
    }

    @Test("Successive values differ (a stuck generator would repeat)")
    func distinct() {
        let values = Set((0..<100).map { _ in SecureRandom.bytes(16) })
        #expect(values.count == 100)
        // Over 64 KiB every byte value should appear; a generator stuck on a pattern would not.
        let histogram = Set(SecureRandom.bytes(65_536))
        #expect(histogram.count == 256)
    }
}
