/// Parsers for the three textual timestamp forms the registry reads: RFC 3339 request values
/// (API-26), query dates (API-48) and PostgreSQL's text output of `timestamptz`.
///
/// All work on bytes without splitting strings; the PostgreSQL form runs for every timestamp cell
/// of every row read.
extension Timestamp {
    /// Parses RFC 3339 as accepted in request bodies (api-v2.md API-26): `YYYY-MM-DD`, `T` or `t`,
    /// `HH:MM:SS`, an optional `.` with one or more digits (any length, truncated — never rounded —
    /// to microseconds, DOM-2), then `Z`, `z` or `±HH:MM`. Fields are range-checked (leap years
    /// included, no leap second); the offset is applied; the instant must fall in years 0001–9999.
    /// Nil for anything else, including surrounding whitespace.
    public init?(rfc3339 text: some StringProtocol) {
        guard let value = text.utf8.withContiguousStorageIfAvailable({ TimestampParser.rfc3339($0) })
            ?? Array(text.utf8).withUnsafeBufferPointer({ TimestampParser.rfc3339($0) })
        else { return nil }
        self.init(microseconds: value)
    }

    /// Parses a date query parameter (api-v2.md API-48): RFC 3339 as in `init?(rfc3339:)`, or a
    /// plain `YYYY-MM-DD` meaning midnight UTC of that day.
    public init?(queryDate text: some StringProtocol) {
        guard let value = text.utf8.withContiguousStorageIfAvailable({ TimestampParser.queryDate($0) })
            ?? Array(text.utf8).withUnsafeBufferPointer({ TimestampParser.queryDate($0) })
        else { return nil }
        self.init(microseconds: value)
    }

    /// Parses PostgreSQL's text output of `timestamptz` (DateStyle ISO), e.g.
    /// `2024-05-01 13:02:03.123456+00`: the fraction may be absent; the offset is `±HH`, `±HH:MM`
    /// or `±HH:MM:SS`. Nil for anything else (`infinity`, BC dates, years past 9999).
    public init?(postgresText bytes: UnsafeRawBufferPointer) {
        guard let value = TimestampParser.postgres(bytes.asUInt8Buffer) else { return nil }
        self.init(microseconds: value)
    }

    /// Parses PostgreSQL's text output of `timestamptz`; see `init?(postgresText:)` for bytes.
    public init?(postgresText text: some StringProtocol) {
        guard let value = text.utf8.withContiguousStorageIfAvailable({ TimestampParser.postgres($0) })
            ?? Array(text.utf8).withUnsafeBufferPointer({ TimestampParser.postgres($0) })
        else { return nil }
        self.init(microseconds: value)
    }
}

/// The byte-level parsers behind `Timestamp`'s initializers; each returns microseconds since the
/// epoch, already range-checked, or nil.
enum TimestampParser {
    static func rfc3339(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var cursor = ByteCursor(bytes)
        guard var civil = cursor.date(),
            cursor.take(0x54) || cursor.take(0x74),  // "T" / "t"
            cursor.time(into: &civil)
        else { return nil }
        let offsetSeconds: Int
        if cursor.take(0x5A) || cursor.take(0x7A) {  // "Z" / "z"
            offsetSeconds = 0
        } else {
            guard let sign = cursor.offsetSign(), let hours = cursor.digits(2), hours <= 23,
                cursor.take(0x3A), let minutes = cursor.digits(2), minutes <= 59
            else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        }
        guard cursor.isAtEnd else { return nil }
        return instant(civil, offsetSeconds: offsetSeconds)
    }

    static func queryDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        guard bytes.count == 10 else { return rfc3339(bytes) }
        var cursor = ByteCursor(bytes)
        guard let civil = cursor.date(), cursor.isAtEnd else { return nil }
        return instant(civil, offsetSeconds: 0)
    }

    static func postgres(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
        var cursor = ByteCursor(bytes)
        guard var civil = cursor.date(),
            cursor.take(0x20),  // " "
            cursor.time(into: &civil),
            let sign = cursor.offsetSign(),
            let hours = cursor.digits(2), hours <= 23
        else { return nil }
        var offsetSeconds = hours * 3600
        if cursor.take(0x3A) {
            guard let minutes = cursor.digits(2), minutes <= 59 else { return nil }
            offsetSeconds += minutes * 60
            if cursor.take(0x3A) {
                guard let seconds = cursor.digits(2), seconds <= 59 else { return nil }
                offsetSeconds += seconds
            }
        }
        guard cursor.isAtEnd else { return nil }
        return instant(civil, offsetSeconds: sign * offsetSeconds)
    }

    /// The UTC instant of local `civil` time at `offsetSeconds` east of UTC, if within range.
    private static func instant(_ civil: CivilDateTime, offsetSeconds: Int) -> Int64? {
        guard civil.isValid else { return nil }
        let utc = civil.microsecondsSinceEpoch - Int64(offsetSeconds) * 1_000_000
        return Timestamp(checkedMicroseconds: utc)?.microseconds
    }
}

/// A forward-only reader over the bytes of a timestamp.
private struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { index == bytes.count }

    /// Consumes `byte` if it is next.
    mutating func take(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Consumes exactly `count` ASCII digits.
    mutating func digits(_ count: Int) -> Int? {
        guard bytes.count - index >= count else { return nil }
        var value = 0
        for _ in 0..<count {
            let digit = bytes[index] &- 0x30
            guard digit <= 9 else { return nil }
            value = value * 10 + Int(digit)
            index += 1
        }
        return value
    }

    /// Consumes `+` (→ 1) or `-` (→ −1).
    mutating func offsetSign() -> Int? {
        if take(0x2B) { return 1 }
        if take(0x2D) { return -1 }
        return nil
    }

    /// Consumes `YYYY-MM-DD` (fields not yet range-checked).
    mutating func date() -> CivilDateTime? {
        guard let year = digits(4), take(0x2D), let month = digits(2), take(0x2D), let day = digits(2)
        else { return nil }
        return CivilDateTime(year: year, month: month, day: day)
    }

    /// Consumes `HH:MM:SS` and an optional `.` fraction of one or more digits, keeping only the
    /// first six (truncation, DOM-2).
    mutating func time(into civil: inout CivilDateTime) -> Bool {
        guard let hour = digits(2), take(0x3A), let minute = digits(2), take(0x3A), let second = digits(2)
        else { return false }
        civil.hour = hour
        civil.minute = minute
        civil.second = second
        civil.microsecond = 0
        if take(0x2E) {  // "."
            var fractionDigits = 0
            var microsecond = 0
            while index < bytes.count, case let digit = bytes[index] &- 0x30, digit <= 9 {
                if fractionDigits < 6 {
                    microsecond = microsecond * 10 + Int(digit)
                }
                fractionDigits += 1
                index += 1
            }
            guard fractionDigits > 0 else { return false }
            for _ in min(fractionDigits, 6)..<6 {
                microsecond *= 10
            }
            civil.microsecond = microsecond
        }
        return true
    }
}
