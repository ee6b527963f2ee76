import CCrypto

/// HMAC-SHA-256 (RFC 2104) over libcrypto.
public enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key` (any key length).
    public static func authenticate(key: [UInt8], message: [UInt8]) -> [UInt8] {
        key.withNonNullBytes { keyBytes, keyLength in
            message.withNonNullBytes { messageBytes, messageLength in
                [UInt8](unsafeUninitializedCapacity: SHA256.digestLength) { mac, initializedCount in
                    var length: UInt32 = 0
                    guard let keyLength = Int32(exactly: keyLength),
                        HMAC(
                            EVP_sha256(), keyBytes, keyLength,
                            messageBytes.assumingMemoryBound(to: UInt8.self), messageLength,
                            mac.baseAddress, &length) != nil,
                        length == SHA256.digestLength
                    else {
                        fatalError("libcrypto HMAC failed")
                    }
                    initializedCount = SHA256.digestLength
                }
            }
        }
    }

    /// The 32-byte authentication code of the UTF-8 of `message` under `key`.
    public static func authenticate(key: [UInt8], message: String) -> [UInt8] {
        authenticate(key: key, message: Array(message.utf8))
    }
}
