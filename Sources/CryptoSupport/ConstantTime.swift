import CCrypto

/// Comparisons of secrets (tokens, password hashes, CSRF values) whose duration does not depend
/// on where the inputs differ (libcrypto's `CRYPTO_memcmp`).
public enum ConstantTime {
    /// True when `a` and `b` are byte-for-byte equal. Inputs of different lengths are unequal; the
    /// length itself is not treated as secret.
    public static func equals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.withUnsafeBytes { aBytes in
            b.withUnsafeBytes { bBytes in
                equals(aBytes, bBytes)
            }
        }
    }

    /// True when the two buffers hold the same bytes; different lengths are unequal.
    public static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        guard a.count > 0, let aBase = a.baseAddress, let bBase = b.baseAddress else { return true }
        return CRYPTO_memcmp(aBase, bBase, a.count) == 0
    }

    /// True when the UTF-8 of `a` and `b` are equal.
    public static func equals(_ a: String, _ b: String) -> Bool {
        equals(Array(a.utf8), Array(b.utf8))
    }
}
