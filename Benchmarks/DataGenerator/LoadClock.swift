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

/// One line on stdout, written at once (print would buffer it until exit when stdout is a file,
/// and the load's progress should be visible while it runs).
func say(_ line: String) {
    let bytes = Array((line + "\n").utf8)
    bytes.withUnsafeBytes { buffer in
        var offset = 0
        while offset < buffer.count {
            let written = write(1, buffer.baseAddress! + offset, buffer.count - offset)
            if written <= 0 { return }
            offset += written
        }
    }
}
