import CCrypto

/// PBKDF2 (RFC 8018) over libcrypto's `PKCS5_PBKDF2_HMAC`.
public enum PBKDF2 {
    /// PBKDF2-HMAC-SHA-256 of `password` and `salt`: `keyLength` bytes after `iterations` rounds.
    /// Both counts must be at least 1 (a programming error otherwise).
    public static func sha256(password: [UInt8], salt: [UInt8], iterations: Int, keyLength: Int) -> [UInt8] {
        precondition(iterations >= 1 && iterations <= Int(Int32.max), "PBKDF2: iterations out of range")
        precondition(keyLength >= 1 && keyLength <= Int(Int32.max), "PBKDF2: keyLength out of range")
        return password.withNonNullBytes { passwordBytes, passwordLength in
            salt.withNonNullBytes { saltBytes, saltLength in
                [UInt8](unsafeUninitializedCapacity: keyLength) { key, initializedCount in
                    guard let passwordLength = Int32(exactly: passwordLength),
                        let saltLength = Int32(exactly: saltLength),
                        PKCS5_PBKDF2_HMAC(
                            passwordBytes.assumingMemoryBound(to: CChar.self), passwordLength,
                            saltBytes.assumingMemoryBound(to: UInt8.self), saltLength,
                            Int32(iterations), EVP_sha256(), Int32(keyLength), key.baseAddress) == 1
                    else {
                        fatalError("libcrypto PKCS5_PBKDF2_HMAC failed")
                    }
                    initializedCount = keyLength
                }
            }
        }
    }
}
