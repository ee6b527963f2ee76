import Formats

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Typed reads of text-format values. Each returns nil for SQL NULL and throws `PGError` (kind
/// `.other`) when a non-NULL value does not parse as the requested type.
extension PGResult {
    /// The value as a String (any column type has a text form).
    public func string(_ row: Int, _ column: Int) -> String? {
        if isNull(row, column) { return nil }
        return withUnsafeBytes(row, column) { String(decoding: $0, as: UTF8.self) }
    }

    /// An int2/int4/int8 value, parsed from the bytes without creating a String.
    public func int64(_ row: Int, _ column: Int) throws(PGError) -> Int64? {
        if isNull(row, column) { return nil }
        guard let value = withUnsafeBytes(row, column, { TextDecoding.int64($0) }) else {
            throw decodingError(row, column, "Int64")
        }
        return value
    }

    /// An integer value as `Int` (64-bit on every supported platform).
    public func int(_ row: Int, _ column: Int) throws(PGError) -> Int? {
        guard let value = try int64(row, column) else { return nil }
        return Int(value)
    }

    /// A boolean (`t` / `f`).
    public func bool(_ row: Int, _ column: Int) throws(PGError) -> Bool? {
        if isNull(row, column) { return nil }
        let value: Bool? = withUnsafeBytes(row, column) { bytes in
            guard bytes.count == 1 else { return nil }
            switch bytes[0] {
            case UInt8(ascii: "t"): return true
            case UInt8(ascii: "f"): return false
            default: return nil
            }
        }
        guard let value else { throw decodingError(row, column, "Bool") }
        return value
    }

    /// A float4/float8/numeric value (numeric loses precision beyond a Double's).
    public func double(_ row: Int, _ column: Int) throws(PGError) -> Double? {
        if isNull(row, column) { return nil }
        // strtod reads the C string libpq already NUL-terminated: no String needed. It accepts
        // PostgreSQL's "NaN", "Infinity" and "-Infinity" spellings.
        let text = cString(row, column)
        var end: UnsafeMutablePointer<CChar>?
        let value = strtod(text, &end)
        guard let end, end != UnsafeMutablePointer(mutating: text), end.pointee == 0 else {
            throw decodingError(row, column, "Double")
        }
        return value
    }

    /// A timestamptz value; the session runs with TimeZone=UTC and DateStyle=ISO, so the text is
    /// `2024-05-01 13:02:03.123456+00`.
    public func timestamp(_ row: Int, _ column: Int) throws(PGError) -> Timestamp? {
        if isNull(row, column) { return nil }
        guard let value = withUnsafeBytes(row, column, { Timestamp(postgresText: $0) }) else {
            throw decodingError(row, column, "Timestamp")
        }
        return value
    }

    /// A bytea value (hex output format, `\x…`; the session sets bytea_output=hex).
    public func bytea(_ row: Int, _ column: Int) throws(PGError) -> [UInt8]? {
        if isNull(row, column) { return nil }
        guard let value = withUnsafeBytes(row, column, { TextDecoding.byteaHex($0) }) else {
            throw decodingError(row, column, "bytea")
        }
        return value
    }

    private func decodingError(_ row: Int, _ column: Int, _ type: String) -> PGError {
        .client("cannot decode row \(row) column \(column) (\(columnName(column))) as \(type)")
    }
}
