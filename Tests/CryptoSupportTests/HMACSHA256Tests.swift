import CryptoSupport
import Testing

/// RFC 4231 HMAC-SHA-256 test cases.
@Suite struct HMACSHA256Tests {
    @Test("RFC 4231 test case 1")
    func case1() {
        let mac = HMACSHA256.authenticate(key: [UInt8](repeating: 0x0B, count: 20), message: "Hi There")
        #expect(TestHex.encode(mac) == "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7")
    }

    @Test("RFC 4231 test case 2 (key shorter than the block)")
    func case2() {
        let mac = HMACSHA256.authenticate(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8))
        #expect(TestHex.encode(mac) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test("RFC 4231 test case 6 (key longer than the block)")
    func case6() {
        let mac = HMACSHA256.authenticate(
            key: [UInt8](repeating: 0xAA, count: 131),
            message: "Test Using Larger Than Block-Size Key - Hash Key First")
        #expect(TestHex.encode(mac) == "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54")
    }

    @Test("Empty key and message are allowed")
    func empty() {
        let mac = HMACSHA256.authenticate(key: [], message: [UInt8]())
        #expect(TestHex.encode(mac) == "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad")
    }
}
