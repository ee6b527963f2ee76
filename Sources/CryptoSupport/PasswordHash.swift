/// Password hashes of the staff HTML login (html.md WEB-3):
/// `pbkdf2-sha256$<iterations>$<salt>$<key>` — PBKDF2-HMAC-SHA-256, 16-byte random salt, 32-byte
/// key, salt and key in standard base64 without `=` padding.
public enum PasswordHash {
    /// Iterations for new hashes (WEB-3). Hashes with fewer are re-hashed at the next login.
    public static let currentIterations = 600_000

    /// Upper bound accepted when reading a stored hash, so a corrupted or planted value cannot make a
    /// single login attempt spin for hours; anything above it is treated as malformed.
    static let maximumIterations = 100_000_000

    private static let prefix = "pbkdf2-sha256"
    private static let saltLength = 16
    private static let keyLength = 32

    /// A new stored hash of the UTF-8 of `password`. The defaults are what production uses; tests
    /// pass a fixed salt (WEB-3 vector).
    public static func make(
        password: String, iterations: Int = currentIterations, salt: [UInt8] = SecureRandom.bytes(16)
    ) -> String {
        let key = PBKDF2.sha256(
            password: Array(password.utf8), salt: salt, iterations: iterations, keyLength: keyLength)
        return "\(prefix)$\(iterations)$\(UnpaddedBase64.encode(salt))$\(UnpaddedBase64.encode(key))"
    }

    /// True when `password` matches `stored`. Reads the iteration count from `stored`, compares the
    /// keys in constant time, and returns false for any malformed `stored` value.
    public static func verify(password: String, against stored: String) -> Bool {
        guard let parsed = ParsedHash(stored) else { return false }
        let key = PBKDF2.sha256(
            password: Array(password.utf8), salt: parsed.salt, iterations: parsed.iterations,
            keyLength: parsed.key.count)
        return ConstantTime.equals(key, parsed.key)
    }

    /// True when `stored` should be replaced after a successful login: fewer iterations than
    /// `currentIterations` — or unreadable, which a rehash also repairs.
    public static func needsRehash(_ stored: String) -> Bool {
        guard let parsed = ParsedHash(stored) else { return true }
        return parsed.iterations < currentIterations
    }

    /// The parts of a well-formed stored hash.
    private struct ParsedHash {
        let iterations: Int
        let salt: [UInt8]
        let key: [UInt8]

        init?(_ stored: String) {
            let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
            guard parts.count == 4, parts[0] == PasswordHash.prefix,
                let iterations = ParsedHash.decimal(parts[1]),
                iterations >= 1, iterations <= PasswordHash.maximumIterations,
                let salt = UnpaddedBase64.decode(parts[2]), !salt.isEmpty,
                let key = UnpaddedBase64.decode(parts[3]), key.count >= 16, key.count <= 64
            else { return nil }
            self.iterations = iterations
            self.salt = salt
            self.key = key
        }

        /// ASCII digits without sign or leading zero (so each count has exactly one spelling).
        private static func decimal(_ text: Substring) -> Int? {
            guard let first = text.utf8.first, first != 0x30, text.utf8.count <= 10,
                text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
            else { return nil }
            return Int(text)
        }
    }
}
