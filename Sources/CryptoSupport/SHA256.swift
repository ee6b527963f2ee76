import CCrypto

/// SHA-256 (FIPS 180-4) over libcrypto.
///
/// The one-shot functions are what event inserts use to hash each canonical serialization
/// (auditor.md AUD-43) and what API-key authentication uses per request (api-v2.md API-11).
public enum SHA256 {
    /// Digest length in bytes.
    public static let digestLength = 32

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        // Performance: libcrypto's one-shot SHA256() needs no EVP_MD_CTX allocation per call.
        // The digest is written straight into the result array's storage.
        [UInt8](unsafeUninitializedCapacity: digestLength) { digest, initializedCount in
            let input = bytes.baseAddress?.assumingMemoryBound(to: UInt8.self)
            guard CCrypto.SHA256(input, bytes.count, digest.baseAddress) != nil else {
                fatalError("libcrypto SHA256 failed")
            }
            initializedCount = digestLength
        }
    }

    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { hash($0) }
    }

    /// The 32-byte digest of the UTF-8 of `text` (e.g. an API key as presented, DOM-57).
    public static func hash(_ text: String) -> [UInt8] {
        var text = text
        return text.withUTF8 { hash(UnsafeRawBufferPointer($0)) }
    }

    /// The 32-byte digest of any byte sequence (copied first only if not contiguous).
    @inlinable
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        if let digest = bytes.withContiguousStorageIfAvailable({ hash(UnsafeRawBufferPointer($0)) }) {
            return digest
        }
        return hash(Array(bytes))
    }

    /// The digest of `bytes` as 64 lower-case hex characters.
    public static func hex(_ bytes: [UInt8]) -> String {
        LowerHex.encode(hash(bytes))
    }

    /// The digest of the UTF-8 of `text` as 64 lower-case hex characters.
    public static func hex(_ text: String) -> String {
        LowerHex.encode(hash(text))
    }
}
