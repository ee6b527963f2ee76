// Internal helpers for passing Swift byte arrays and text to libcrypto.

extension Array where Element == UInt8 {
    /// Lends a non-null pointer to the bytes and their count. An empty array lends a pointer to a
    /// dummy byte (with count 0), because some libcrypto calls give a NULL key or password a
    /// different meaning than an empty one.
    func withNonNullBytes<R>(_ body: (UnsafeRawPointer, Int) throws -> R) rethrows -> R {
        if isEmpty {
            var dummy: UInt8 = 0
            return try Swift.withUnsafeBytes(of: &dummy) { try body($0.baseAddress!, 0) }
        }
        return try withUnsafeBytes { try body($0.baseAddress!, $0.count) }
    }
}

/// Lower-case hex text of bytes. CryptoSupport does not depend on Formats (both are leaf modules),
/// so it carries this tiny encoder itself.
enum LowerHex {
    static func encode(_ bytes: [UInt8]) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { output in
            var position = 0
            for byte in bytes {
                output[position] = digit(byte >> 4)
                output[position + 1] = digit(byte & 0x0F)
                position += 2
            }
            return position
        }
    }

    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // "0"... / "a"...
    }
}
