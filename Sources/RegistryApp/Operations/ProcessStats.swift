#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// Process figures for `/metrics` (OPS-37).
enum ProcessStats {
    /// Resident set size from /proc/self/statm (pages × page size).
    static func residentMemoryBytes() -> Int {
        guard let file = fopen("/proc/self/statm", "r") else { return 0 }
        defer { fclose(file) }
        var size = 0, resident = 0
        guard readTwoFields(file, &size, &resident) else { return 0 }
        return resident * Int(sysconf(Int32(_SC_PAGESIZE)))
    }

    private static func readTwoFields(_ file: UnsafeMutablePointer<FILE>, _ first: inout Int, _ second: inout Int) -> Bool {
        var line = [CChar](repeating: 0, count: 256)
        guard fgets(&line, Int32(line.count), file) != nil else { return false }
        let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let a = Int(fields[0]), let b = Int(fields[1]) else { return false }
        first = a
        second = b
        return true
    }

    /// Wall-clock start of this process, seconds since the epoch: the kernel's record (boot time
    /// from /proc/stat plus the process's start in clock ticks after boot, /proc/self/stat field
    /// 22), not the moment something first asks (a lazily set `static let` would report the first
    /// scrape). The current time only if /proc cannot be read.
    static let startTime: Double = kernelStartTime() ?? {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }()

    private static func kernelStartTime() -> Double? {
        guard let stat = firstLines(of: "/proc/self/stat", count: 1).first,
              let commEnd = stat.lastIndex(of: ")") else { return nil }
        // Fields after the command name (which may hold spaces) start at field 3; starttime is 22.
        let fields = stat[stat.index(after: commEnd)...].split(separator: " ")
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        // The whole file: btime follows a line per CPU, and fgets splits the long `intr` line.
        guard let boot = firstLines(of: "/proc/stat", count: Int.max).first(where: { $0.hasPrefix("btime ") }),
              let bootSeconds = Double(boot.dropFirst("btime ".count).filter { $0.isNumber }) else { return nil }
        return bootSeconds + ticks / Double(sysconf(Int32(_SC_CLK_TCK)))
    }

    private static func firstLines(of path: String, count: Int) -> [String] {
        guard let file = fopen(path, "r") else { return [] }
        defer { fclose(file) }
        var lines: [String] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while lines.count < count, fgets(&buffer, Int32(buffer.count), file) != nil {
            lines.append(String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        return lines
    }
}
