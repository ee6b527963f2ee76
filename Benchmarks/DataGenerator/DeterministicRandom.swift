/// SplitMix64: a tiny, fast, seedable generator. The dataset is a pure function of the object
/// index, so every loading pass (objects, files, checksums, events, …) regenerates exactly the same
/// values without keeping 2 million files in memory, and two runs build identical datasets.
struct DeterministicRandom {
    private var state: UInt64

    /// `stream` separates independent sequences drawn for the same object (files, digests, …).
    init(seed: Int, stream: UInt64) {
        state = UInt64(truncatingIfNeeded: seed) &* 0x9E37_79B9_7F4A_7C15 ^ (stream &* 0xD1B5_4A32_D192_ED03)
        _ = next()
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0..<bound` (the modulo bias is irrelevant for test data).
    mutating func below(_ bound: Int) -> Int {
        Int(next() % UInt64(bound))
    }

    /// A version-4 UUID in lower-case 8-4-4-4-12 form (DOM-15).
    mutating func uuid() -> String {
        let high = (next() & 0xFFFF_FFFF_FFFF_0FFF) | 0x0000_0000_0000_4000
        let low = (next() & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        var hex = Self.hex(high, digits: 16) + Self.hex(low, digits: 16)
        for position in [8, 13, 18, 23] {
            hex.insert("-", at: hex.index(hex.startIndex, offsetBy: position))
        }
        return hex
    }

    /// `characters` lower-case hex digits (a digest-shaped value).
    mutating func hexDigits(_ characters: Int) -> String {
        var text = ""
        text.reserveCapacity(characters + 16)
        while text.utf8.count < characters {
            text += Self.hex(next(), digits: 16)
        }
        return String(text.prefix(characters))
    }

    private static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.utf8.count)) + text
    }
}
