/// Standard base64 (RFC 4648 §4, alphabet `A–Z a–z 0–9 + /`), with or without `=` padding.
/// Decoding is strict: wrong length, characters outside the alphabet, misplaced padding and
/// non-zero unused bits all give nil, so each byte string has exactly one accepted text.
public enum Base64 {
    /// The base64 text of `bytes`; `padding: false` omits the trailing `=` (html.md WEB-3).
    @inlinable
    public static func encode(_ bytes: some Sequence<UInt8>, padding: Bool = true) -> String {
        withContiguousBytes(of: bytes) { Base64Codec.encode($0, urlSafe: false, padding: padding) }
    }

    /// The bytes of base64 text: with `padding: true` the text must be padded to a multiple of four
    /// characters, with `padding: false` it must carry no `=`.
    public static func decode(_ text: some StringProtocol, padding: Bool = true) -> [UInt8]? {
        text.utf8.withContiguousStorageIfAvailable { Base64Codec.decode($0, urlSafe: false, padded: padding) }
            ?? Array(text.utf8).withUnsafeBufferPointer { Base64Codec.decode($0, urlSafe: false, padded: padding) }
    }
}

/// base64url (RFC 4648 §5, alphabet `A–Z a–z 0–9 - _`) without padding, e.g. session cookies
/// (html.md WEB-5). Decoding is strict like `Base64.decode`.
public enum Base64URL {
    /// The unpadded base64url text of `bytes`.
    @inlinable
    public static func encode(_ bytes: some Sequence<UInt8>) -> String {
        withContiguousBytes(of: bytes) { Base64Codec.encode($0, urlSafe: true, padding: false) }
    }

    /// The bytes of unpadded base64url text, or nil.
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        text.utf8.withContiguousStorageIfAvailable { Base64Codec.decode($0, urlSafe: true, padded: false) }
            ?? Array(text.utf8).withUnsafeBufferPointer { Base64Codec.decode($0, urlSafe: true, padded: false) }
    }
}

/// The shared codec behind `Base64` and `Base64URL`.
@usableFromInline
enum Base64Codec {
    @usableFromInline
    static func encode(_ bytes: UnsafeBufferPointer<UInt8>, urlSafe: Bool, padding: Bool) -> String {
        let fullGroups = bytes.count / 3
        let tail = bytes.count % 3
        let length = fullGroups * 4 + (tail == 0 ? 0 : (padding ? 4 : tail + 1))
        return String(unsafeUninitializedCapacity: length) { output in
            var input = 0
            var position = 0
            func put(_ sextet: UInt32) {
                output[position] = character(UInt8(truncatingIfNeeded: sextet & 0x3F), urlSafe: urlSafe)
                position += 1
            }
            for _ in 0..<fullGroups {
                let group = UInt32(bytes[input]) << 16 | UInt32(bytes[input + 1]) << 8 | UInt32(bytes[input + 2])
                put(group >> 18)
                put(group >> 12)
                put(group >> 6)
                put(group)
                input += 3
            }
            if tail > 0 {
                let group = UInt32(bytes[input]) << 16 | (tail == 2 ? UInt32(bytes[input + 1]) << 8 : 0)
                put(group >> 18)
                put(group >> 12)
                if tail == 2 { put(group >> 6) }
                if padding {
                    for _ in tail..<3 {
                        output[position] = 0x3D  // "="
                        position += 1
                    }
                }
            }
            return position
        }
    }

    static func decode(_ text: UnsafeBufferPointer<UInt8>, urlSafe: Bool, padded: Bool) -> [UInt8]? {
        var length = text.count
        if padded {
            guard length % 4 == 0 else { return nil }
            // At most two "=" and only at the end; any other "=" fails below as a non-alphabet byte.
            for _ in 0..<2 where length > 0 && text[length - 1] == 0x3D {
                length -= 1
            }
        }
        let tail = length % 4
        guard tail != 1 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(length / 4 * 3 + 2)
        var index = 0
        while index + 4 <= length {
            guard let a = value(text[index], urlSafe: urlSafe), let b = value(text[index + 1], urlSafe: urlSafe),
                let c = value(text[index + 2], urlSafe: urlSafe), let d = value(text[index + 3], urlSafe: urlSafe)
            else { return nil }
            let group = UInt32(a) << 18 | UInt32(b) << 12 | UInt32(c) << 6 | UInt32(d)
            result.append(UInt8(truncatingIfNeeded: group >> 16))
            result.append(UInt8(truncatingIfNeeded: group >> 8))
            result.append(UInt8(truncatingIfNeeded: group))
            index += 4
        }
        if tail >= 2 {
            guard let a = value(text[index], urlSafe: urlSafe), let b = value(text[index + 1], urlSafe: urlSafe)
            else { return nil }
            var group = UInt32(a) << 18 | UInt32(b) << 12
            if tail == 3 {
                guard let c = value(text[index + 2], urlSafe: urlSafe) else { return nil }
                group |= UInt32(c) << 6
            }
            // Unused low bits must be zero, or two texts would decode to the same bytes.
            let unusedMask: UInt32 = tail == 2 ? 0xFFFF : 0xFF
            guard group & unusedMask == 0 else { return nil }
            result.append(UInt8(truncatingIfNeeded: group >> 16))
            if tail == 3 { result.append(UInt8(truncatingIfNeeded: group >> 8)) }
        }
        return result
    }

    @usableFromInline
    static func character(_ sextet: UInt8, urlSafe: Bool) -> UInt8 {
        switch sextet {
        case 0..<26: return 0x41 + sextet  // A-Z
        case 26..<52: return 0x61 + sextet - 26  // a-z
        case 52..<62: return 0x30 + sextet - 52  // 0-9
        case 62: return urlSafe ? 0x2D : 0x2B  // "-" / "+"
        default: return urlSafe ? 0x5F : 0x2F  // "_" / "/"
        }
    }

    static func value(_ character: UInt8, urlSafe: Bool) -> UInt8? {
        switch character {
        case 0x41...0x5A: return character - 0x41
        case 0x61...0x7A: return character - 0x61 + 26
        case 0x30...0x39: return character - 0x30 + 52
        case 0x2B where !urlSafe, 0x2D where urlSafe: return 62
        case 0x2F where !urlSafe, 0x5F where urlSafe: return 63
        default: return nil
        }
    }
}
