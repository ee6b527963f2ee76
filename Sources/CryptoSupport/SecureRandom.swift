import CCrypto

/// Cryptographically secure random bytes from libcrypto's CSPRNG (`RAND_bytes`), for API keys,
/// tokens, session ids and salts (domain.md DOM-57, DOM-59; html.md WEB-3, WEB-5).
public enum SecureRandom {
    /// `count` random bytes. Traps if the CSPRNG fails: there is deliberately no fallback to a
    /// weaker source, since a predictable key or token is worse than a crashed process.
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0 && count <= Int(Int32.max), "SecureRandom: invalid count")
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initializedCount in
            guard RAND_bytes(buffer.baseAddress, Int32(count)) == 1 else {
                fatalError("libcrypto RAND_bytes failed; refusing to continue without a secure random source")
            }
            initializedCount = count
        }
    }

    /// `byteCount` random bytes as lower-case hex (`2 × byteCount` characters); API keys and tokens
    /// use 32 bytes → 64 characters (DOM-57, DOM-59).
    public static func hex(byteCount: Int) -> String {
        LowerHex.encode(bytes(byteCount))
    }
}

extension SecureRandom {
    /// A random (version 4) UUID in lower-case 8-4-4-4-12 form, for events the server writes itself.
    public static func uuidV4() -> String {
        var bytes = SecureRandom.bytes(16)
        bytes[6] = (bytes[6] & 0x0F) | 0x40
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = Array(LowerHex.encode(bytes).utf8)
        var text = [UInt8]()
        text.reserveCapacity(36)
        for (index, digit) in hex.enumerated() {
            if index == 8 || index == 12 || index == 16 || index == 20 { text.append(UInt8(ascii: "-")) }
            text.append(digit)
        }
        return String(decoding: text, as: UTF8.self)
    }
}
