#if canImport(Glibc)
import Glibc
#endif

/// Wall-clock timing of the load's phases (monotonic clock).
enum LoadClock {
    static func now() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }

    /// `12.3 s` since `start`.
    static func seconds(since start: Double) -> String {
        let elapsed = now() - start
        return "\(Double(Int(elapsed * 10)) / 10) s"
    }
}
