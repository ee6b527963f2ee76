import CryptoSupport
import Testing

/// Password hashes (html.md WEB-3).
@Suite struct PasswordHashTests {
    static let vector = "pbkdf2-sha256$600000$AAECAwQFBgcICQoLDA0ODw$7xdxRO7JQgy8EJPSqLNEqSvFBtDU7JwCjdGfgyTYweY"
    static let password = "correct horse battery staple"

    @Test("WEB-3: the test vector is reproduced exactly")
    func vectorReproduced() {
        let stored = PasswordHash.make(password: Self.password, iterations: 600_000, salt: (0..<16).map { UInt8($0) })
        #expect(stored == Self.vector)
    }

    @Test("WEB-3: the vector verifies with the right password only")
    func verifyVector() {
        #expect(PasswordHash.verify(password: Self.password, against: Self.vector))
        #expect(!PasswordHash.verify(password: "correct horse battery stapl", against: Self.vector))
        #expect(!PasswordHash.verify(password: "", against: Self.vector))
    }

    @Test("WEB-3: new hashes use 600,000 iterations and a random 16-byte salt")
    func defaults() {
        #expect(PasswordHash.currentIterations == 600_000)
        let first = PasswordHash.make(password: "another long password")
        let second = PasswordHash.make(password: "another long password")
        #expect(first != second)
        let parts = first.split(separator: "$", omittingEmptySubsequences: false)
        #expect(parts.count == 4)
        #expect(parts.first == "pbkdf2-sha256")
        #expect(parts.dropFirst().first == "600000")
        #expect(parts.dropFirst(2).first?.count == 22)  // 16 bytes, unpadded base64
        #expect(parts.last?.count == 43)  // 32 bytes, unpadded base64
        #expect(!first.contains("="))
        #expect(PasswordHash.verify(password: "another long password", against: first))
        #expect(!PasswordHash.needsRehash(first))
    }

    @Test("Verification reads the iteration count from the stored string; fewer iterations need a rehash")
    func lowerIterations() {
        let stored = PasswordHash.make(password: "pw with few rounds", iterations: 1000, salt: Array(repeating: 7, count: 16))
        #expect(stored.hasPrefix("pbkdf2-sha256$1000$"))
        #expect(PasswordHash.verify(password: "pw with few rounds", against: stored))
        #expect(!PasswordHash.verify(password: "pw with few round", against: stored))
        #expect(PasswordHash.needsRehash(stored))
        #expect(!PasswordHash.needsRehash(Self.vector))
    }

    @Test("Malformed stored values never verify (and are flagged for rehash)")
    func malformed() {
        let salt = "AAECAwQFBgcICQoLDA0ODw"
        let key = "7xdxRO7JQgy8EJPSqLNEqSvFBtDU7JwCjdGfgyTYweY"
        let malformed = [
            "", "pbkdf2-sha256", "pbkdf2-sha256$600000$\(salt)",
            "pbkdf2-sha256$600000$\(salt)$\(key)$", "pbkdf2-sha1$600000$\(salt)$\(key)",
            "PBKDF2-SHA256$600000$\(salt)$\(key)", "pbkdf2-sha256$0600000$\(salt)$\(key)",
            "pbkdf2-sha256$0$\(salt)$\(key)", "pbkdf2-sha256$-1$\(salt)$\(key)", "pbkdf2-sha256$+600000$\(salt)$\(key)",
            "pbkdf2-sha256$6e5$\(salt)$\(key)", "pbkdf2-sha256$$\(salt)$\(key)",
            "pbkdf2-sha256$99999999999$\(salt)$\(key)", "pbkdf2-sha256$600000$$\(key)",
            "pbkdf2-sha256$600000$\(salt)$", "pbkdf2-sha256$600000$\(salt)==$\(key)",
            "pbkdf2-sha256$600000$\(salt)$\(key)=", "pbkdf2-sha256$600000$\(salt)$\(key.dropLast())",
            "pbkdf2-sha256$600000$\(salt)$\(key.dropLast(4))", "pbkdf2-sha256$600000$\(salt)$7xdx RO7JQgy8EJPSqLNEqSvFBtDU7JwCjdGfgyTYweY",
            "pbkdf2-sha256$600000$\(salt)$7xdxRO7JQgy8EJPSqLNEqSvFBtDU7JwCjdGfgyTYweZ",
            " pbkdf2-sha256$600000$\(salt)$\(key)", "pbkdf2-sha256$600000$\(salt)$\(key)\n",
            "pbkdf2-sha256$600000$AAECAwQFBgcICQoLDA0OD-$\(key)",
        ]
        for stored in malformed {
            #expect(!PasswordHash.verify(password: Self.password, against: stored), "\(stored)")
            #expect(PasswordHash.needsRehash(stored), "\(stored)")
        }
    }
}
