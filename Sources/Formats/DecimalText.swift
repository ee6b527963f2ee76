/// Decimal integer text written straight into a byte buffer, without creating a `String`.
public enum DecimalText {
    /// Appends `value` in decimal: a `-` for negative values, no leading zeros, no `+`.
    public static func append(_ value: Int64, to output: inout [UInt8]) {
        if value < 0 {
            output.append(0x2D)  // "-"
        }
        // `magnitude` is a UInt64, so Int64.min needs no special case.
        append(value.magnitude, to: &output)
    }

    /// Appends `value` in decimal.
    public static func append(_ value: Int, to output: inout [UInt8]) {
        append(Int64(value), to: &output)
    }

    /// Appends `value` in decimal without a sign.
    public static func append(_ value: UInt64, to output: inout [UInt8]) {
        if value < 10 {
            output.append(0x30 + UInt8(truncatingIfNeeded: value))
            return
        }
        // Performance: digits are produced right to left into a 20-byte stack buffer (the longest
        // UInt64 has 20 digits), then appended with one copy; no heap allocation besides growth of
        // `output` itself.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var remaining = value
            var position = 20
            while remaining > 0 {
                let (quotient, digit) = remaining.quotientAndRemainder(dividingBy: 10)
                position -= 1
                digits[position] = 0x30 + UInt8(truncatingIfNeeded: digit)
                remaining = quotient
            }
            output.append(contentsOf: UnsafeBufferPointer(rebasing: digits[position..<20]))
        }
    }

    /// Appends `value` (which must be 0 ≤ value < 10^width) left-padded with zeros to exactly
    /// `width` digits; used for the fixed-width fields of timestamps.
    @inlinable
    static func appendPadded(_ value: Int, width: Int, to output: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<width {
            divisor &*= 10
        }
        var remaining = value
        while divisor > 0 {
            output.append(0x30 + UInt8(truncatingIfNeeded: remaining / divisor))
            remaining %= divisor
            divisor /= 10
        }
    }
}
