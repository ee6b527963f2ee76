import CryptoSupport
import Testing

@Suite struct PBKDF2Tests {
    @Test("PBKDF2-HMAC-SHA256 known vectors (password/salt, 1 and 2 iterations)")
    func knownVectors() {
        let one = PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 1, keyLength: 32)
        #expect(TestHex.encode(one) == "120fb6cffcf8b32c43e7225256c4f837a86548c92ccc35480805987cb70be17b")
        let two = PBKDF2.sha256(password: Array("password".utf8), salt: Array("salt".utf8), iterations: 2, keyLength: 32)
        #expect(TestHex.encode(two) == "ae4d0c95af6b46d32d0adff928f06dd02a303f8ef3c251dfd6e2d85a95474c43")
    }

    @Test("WEB-3 vector: 600,000 iterations, salt 0x00..0x0f")
    func web3Vector() {
        let key = PBKDF2.sha256(
            password: Array("correct horse battery staple".utf8), salt: (0..<16).map { UInt8($0) },
            iterations: 600_000, keyLength: 32)
        // 7xdxRO7JQgy8EJPSqLNEqSvFBtDU7JwCjdGfgyTYweY in base64.
        #expect(TestHex.encode(key) == "ef177144eec9420cbc1093d2a8b344a92bc506d0d4ec9c028dd19f8324d8c1e6")
    }

    @Test("Key length is honoured")
    func keyLength() {
        let key = PBKDF2.sha256(password: [], salt: [1], iterations: 1, keyLength: 64)
        #expect(key.count == 64)
    }
}
