import CCrypto

/// Incremental SHA-256 for input that arrives in pieces.
///
/// A class because it owns a libcrypto `EVP_MD_CTX`, freed in `deinit`. Not thread-safe: use one
/// hasher per task. After `finalize()` the hasher is reset and can hash a new message.
public final class SHA256Hasher {
    private let context: OpaquePointer

    /// Creates a hasher ready for `update`.
    public init() {
        guard let context = EVP_MD_CTX_new() else {
            fatalError("libcrypto EVP_MD_CTX_new failed")
        }
        self.context = context
        start()
    }

    deinit {
        EVP_MD_CTX_free(context)
    }

    /// Feeds `bytes` into the digest.
    public func update(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        guard EVP_DigestUpdate(context, bytes.baseAddress, bytes.count) == 1 else {
            fatalError("libcrypto EVP_DigestUpdate failed")
        }
    }

    /// Feeds `bytes` into the digest.
    public func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { update($0) }
    }

    /// Feeds the UTF-8 of `text` into the digest.
    public func update(_ text: String) {
        var text = text
        text.withUTF8 { update(UnsafeRawBufferPointer($0)) }
    }

    /// The 32-byte digest of everything fed since creation or the previous `finalize()`; resets the
    /// hasher.
    public func finalize() -> [UInt8] {
        let digest = [UInt8](unsafeUninitializedCapacity: SHA256.digestLength) { buffer, initializedCount in
            var length: UInt32 = 0
            guard EVP_DigestFinal_ex(context, buffer.baseAddress, &length) == 1, length == SHA256.digestLength else {
                fatalError("libcrypto EVP_DigestFinal_ex failed")
            }
            initializedCount = SHA256.digestLength
        }
        start()
        return digest
    }

    private func start() {
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else {
            fatalError("libcrypto EVP_DigestInit_ex failed")
        }
    }
}

@available(*, unavailable, message: "SHA256Hasher holds mutable libcrypto state; use one per task")
extension SHA256Hasher: Sendable {}
