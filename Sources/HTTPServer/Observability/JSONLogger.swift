#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Formats
import Locks

/// `LOG_LEVEL` (operations.md OPS-1): the least severe level that is written.
public enum LogLevel: String, Sendable, CaseIterable, Comparable {
    case debug, info, warn, error

    private var severity: Int {
        switch self {
        case .debug: 0
        case .info: 1
        case .warn: 2
        case .error: 3
        }
    }

    public static func < (lhs: LogLevel, rhs: LogLevel) -> Bool { lhs.severity < rhs.severity }
}

public enum LogValue: Sendable {
    case string(String?)
    case int(Int)
    case double(Double)
    case bool(Bool)
}

/// One JSON object per line on stdout (operations.md OPS-41): `ts`, `level`, `msg`, then fields.
/// Callers are responsible for never passing secrets (OPS-42); the access log redacts token query
/// parameters itself.
public final class JSONLogger: Sendable {
    public let level: LogLevel
    private let fileDescriptor: Int32
    /// Serializes whole lines so concurrent writers never interleave inside one.
    private let writeLock = PlainLock(())

    public init(level: LogLevel, fileDescriptor: Int32 = 1) {
        self.level = level
        self.fileDescriptor = fileDescriptor
    }

    public func isEnabled(_ level: LogLevel) -> Bool { level >= self.level }

    public func debug(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.debug, message, fields) }
    public func info(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.info, message, fields) }
    public func warn(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.warn, message, fields) }
    public func error(_ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) { log(.error, message, fields) }

    public func log(_ level: LogLevel, _ message: String, _ fields: KeyValuePairs<String, LogValue> = [:]) {
        guard isEnabled(level) else { return }
        log(level, message, fields: fields.map { ($0.key, $0.value) })
    }

    public func log(_ level: LogLevel, _ message: String, fields: [(String, LogValue)]) {
        guard isEnabled(level) else { return }
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        writer.key("ts")
        writer.timestamp(Timestamp.now())
        writer.key("level")
        writer.string(level.rawValue)
        writer.key("msg")
        writer.string(message)
        for (name, value) in fields {
            writer.key(name)
            switch value {
            case .string(let text?): writer.string(text)
            case .string(nil): writer.null()
            case .int(let number): writer.int(number)
            case .double(let number): writer.raw(Array((number.isFinite ? String(number) : "null").utf8))
            case .bool(let flag): writer.bool(flag)
            }
        }
        writer.endObject()
        writer.bytes.append(0x0A)
        writeLine(writer.bytes)
    }

    private func writeLine(_ line: [UInt8]) {
        writeLock.withLock { _ in
            line.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(fileDescriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0 && errno == EINTR {
                        continue
                    } else {
                        return // stdout gone: nothing sensible left to do with a log line
                    }
                }
            }
        }
    }
}
