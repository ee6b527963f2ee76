#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Locks

/// The `Date` header value (IMF-fixdate, RFC 9110 §5.6.7), formatted once per second instead of once
/// per response (Hummingbird's DateCache does the same).
final class DateCache: Sendable {
    private let cached = PlainLock<(second: Int, value: [UInt8])>((-1, []))

    func current() -> [UInt8] {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let second = now.tv_sec
        return cached.withLock { entry in
            if entry.second != second {
                entry = (second, Array(Self.format(epochSeconds: second).utf8))
            }
            return entry.value
        }
    }

    static func format(epochSeconds: Int) -> String {
        var seconds = time_t(epochSeconds)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        func two(_ value: Int32) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(days[Int(parts.tm_wday)]), \(two(parts.tm_mday)) \(months[Int(parts.tm_mon)]) \(parts.tm_year + 1900) "
            + "\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec)) GMT"
    }
}
