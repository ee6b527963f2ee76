#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An instant with microsecond precision: microseconds since 1970-01-01T00:00:00Z (UTC).
///
/// Only years 0001–9999 are representable (`Timestamp.minimum`...`Timestamp.maximum`); every parser
/// returns nil outside that range. Microseconds are the precision of PostgreSQL's `timestamptz`
/// (domain.md DOM-2), so a `Timestamp` round-trips through the database exactly.
public struct Timestamp: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Microseconds since 1970-01-01T00:00:00Z.
    public let microseconds: Int64

    static let microsecondsPerDay: Int64 = 86_400_000_000

    /// 0001-01-01T00:00:00.000000Z, the earliest representable instant (also Go's zero time).
    public static let minimum = Timestamp(uncheckedMicroseconds: -62_135_596_800_000_000)
    /// 9999-12-31T23:59:59.999999Z, the latest representable instant.
    public static let maximum = Timestamp(uncheckedMicroseconds: 253_402_300_799_999_999)

    private init(uncheckedMicroseconds: Int64) {
        microseconds = uncheckedMicroseconds
    }

    /// Creates a timestamp; `microseconds` must lie within `minimum...maximum` (a value outside
    /// is a programming error and traps). Use `init?(checkedMicroseconds:)` for untrusted values.
    public init(microseconds: Int64) {
        precondition(
            microseconds >= Timestamp.minimum.microseconds && microseconds <= Timestamp.maximum.microseconds,
            "Timestamp outside years 0001–9999")
        self.microseconds = microseconds
    }

    /// Creates a timestamp, or nil when `checkedMicroseconds` is outside years 0001–9999.
    public init?(checkedMicroseconds: Int64) {
        guard checkedMicroseconds >= Timestamp.minimum.microseconds,
            checkedMicroseconds <= Timestamp.maximum.microseconds
        else { return nil }
        microseconds = checkedMicroseconds
    }

    /// Creates a timestamp from UTC calendar fields, or nil when any field is out of range.
    public init?(_ civil: CivilDateTime) {
        guard civil.isValid else { return nil }
        microseconds = civil.microsecondsSinceEpoch
    }

    /// The current time (CLOCK_REALTIME), truncated to microseconds.
    public static func now() -> Timestamp {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        // Integer division truncates: finer precision is dropped, never rounded (DOM-2).
        return Timestamp(microseconds: Int64(spec.tv_sec) * 1_000_000 + Int64(spec.tv_nsec) / 1000)
    }

    /// True for `0001-01-01T00:00:00Z`, Go's zero time, which the workers send for "no value" and
    /// which is treated as absent (DOM-3).
    public var isGoZeroTime: Bool {
        self == Timestamp.minimum
    }

    /// This instant moved by `delta` microseconds, or nil when the result leaves years 0001–9999.
    public func adding(microseconds delta: Int64) -> Timestamp? {
        let (sum, overflow) = microseconds.addingReportingOverflow(delta)
        return overflow ? nil : Timestamp(checkedMicroseconds: sum)
    }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool {
        lhs.microseconds < rhs.microseconds
    }

    /// The API format, for diagnostics and test output.
    public var description: String {
        apiString
    }
}
