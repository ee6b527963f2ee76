// Internal helpers shared by the escapers: view raw bytes as typed UInt8 buffers.

extension UnsafeRawBufferPointer {
    /// The same bytes as a typed `UInt8` buffer.
    ///
    /// Performance: `Array.append(contentsOf:)` only takes the memcpy path for typed buffers, so every
    /// escaper converts once here instead of iterating the raw buffer byte by byte. Memory from libpq is
    /// bound to `CChar` (`Int8`); Swift allows a signed and unsigned integer of the same width to alias,
    /// so assuming `UInt8` is sound.
    @inlinable
    var asUInt8Buffer: UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: baseAddress?.assumingMemoryBound(to: UInt8.self), count: count)
    }
}

extension Array where Element == UInt8 {
    /// Appends `buffer[start..<end]` with one bulk copy (a no-op for an empty range).
    @inlinable
    mutating func appendRun(_ buffer: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) {
        if start < end {
            append(contentsOf: UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
    }

    /// Appends the UTF-8 bytes of a compile-time constant.
    @inlinable
    mutating func appendStatic(_ text: StaticString) {
        text.withUTF8Buffer { append(contentsOf: $0) }
    }
}

/// ASCII hex digit for a nibble (0–15), computed rather than looked up so no global table is
/// touched on hot paths.
@inlinable
func lowerHexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : 0x57 + nibble  // "0"... / "a"...
}

/// Upper-case variant of `lowerHexDigit`.
@inlinable
func upperHexDigit(_ nibble: UInt8) -> UInt8 {
    nibble < 10 ? 0x30 + nibble : 0x37 + nibble  // "0"... / "A"...
}

/// Runs `body` over the contiguous UTF-8 bytes of `string`, copying only when the string is not
/// stored contiguously (bridged or lazily built strings; native Swift strings never copy).
@inlinable
func withUTF8Bytes<R>(of string: String, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) rethrows -> R {
    if let result = try string.utf8.withContiguousStorageIfAvailable(body) {
        return result
    }
    let copy = Array(string.utf8)
    return try copy.withUnsafeBufferPointer(body)
}

/// Runs `body` over the contiguous bytes of `sequence`, copying into an array only when the
/// sequence has no contiguous storage.
@inlinable
func withContiguousBytes<S: Sequence<UInt8>, R>(
    of sequence: S, _ body: (UnsafeBufferPointer<UInt8>) throws -> R
) rethrows -> R {
    if let result = try sequence.withContiguousStorageIfAvailable(body) {
        return result
    }
    let copy = Array(sequence)
    return try copy.withUnsafeBufferPointer(body)
}
