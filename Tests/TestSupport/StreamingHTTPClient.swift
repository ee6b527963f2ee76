import Foundation

/// A client for tests of streamed responses (exports): it reads the response head, then the body
/// at whatever pace the test chooses — a little, nothing for a while, slowly, or not at all before
/// hanging up — and keeps the raw body bytes so the test can see exactly where a transfer ended.
///
/// A small receive buffer, set before connecting so that the TCP window is small from the start,
/// keeps the kernel from absorbing megabytes of the response: the server then really waits for the
/// test (back-pressure), which is what slow-client tests need. Not thread-safe.
public final class StreamingHTTPClient {
    public struct Head: Sendable {
        public let status: Int
        /// Header fields in order; names as sent.
        public let fields: [(name: String, value: String)]

        public func value(_ name: String) -> String? {
            fields.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
        }
    }

    private let descriptor: Int32
    /// Body bytes received after the head and not yet returned by a read.
    private var pending: [UInt8] = []
    public private(set) var reachedEnd = false
    private var closed = false

    /// - Parameters:
    ///   - receiveBufferBytes: SO_RCVBUF, set before connect.
    ///   - timeout: how long one read may wait for data.
    public init(port: Int, receiveBufferBytes: Int32 = 16 * 1024, timeout: TimeInterval = 30) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw RawHTTPError.connectFailed(String(cString: strerror(errno))) }
        var size = receiveBufferBytes
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var wait = timeval(tv_sec: Int(timeout), tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let message = String(cString: strerror(errno))
            Glibc.close(descriptor)
            throw RawHTTPError.connectFailed("127.0.0.1:\(port): \(message)")
        }
    }

    deinit {
        close()
    }

    /// Sends `GET path` with `headers` and `Connection: close` (the body then ends where the
    /// connection does, whether the transfer completed or was cut off).
    public func get(_ path: String, headers: [(name: String, value: String)]) throws {
        var text = "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
        for field in headers { text += "\(field.name): \(field.value)\r\n" }
        text += "\r\n"
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw RawHTTPError.sendFailed(errno: errno, message: String(cString: strerror(errno))) }
            offset += sent
        }
    }

    /// Reads until the end of the response head; body bytes that came with it are kept for later.
    public func readHead() throws -> Head {
        var buffer: [UInt8] = []
        let separator: [UInt8] = [13, 10, 13, 10]
        while true {
            if let end = firstRange(of: separator, in: buffer) {
                pending = Array(buffer[(end + 4)...])
                return try Self.parseHead(Array(buffer[..<end]))
            }
            let more = try receive(max: 64 * 1024)
            guard !more.isEmpty else { throw RawHTTPError.closedBeforeResponse(received: buffer) }
            buffer += more
        }
    }

    /// Waits for the next body bytes (at most `max`); empty once the connection has ended.
    public func readSome(max: Int = 64 * 1024) throws -> [UInt8] {
        if !pending.isEmpty {
            let count = min(max, pending.count)
            defer { pending.removeFirst(count) }
            return Array(pending[..<count])
        }
        return try receive(max: max)
    }

    /// Reads the rest of the body until the connection ends, sleeping `pause` after every read of
    /// at most `readBytes` (a slow client).
    public func readToEnd(readBytes: Int = 64 * 1024, pause: TimeInterval = 0) throws -> [UInt8] {
        var body: [UInt8] = []
        while true {
            let bytes = try readSome(max: readBytes)
            if bytes.isEmpty { return body }
            body += bytes
            if pause > 0 { Thread.sleep(forTimeInterval: pause) }
        }
    }

    /// Closes the socket, unread data and all (the kernel answers the server's next bytes with RST).
    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(descriptor)
    }

    private func receive(max: Int) throws -> [UInt8] {
        if reachedEnd { return [] }
        var chunk = [UInt8](repeating: 0, count: max)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 { return Array(chunk[..<count]) }
            if count == 0 || errno == ECONNRESET {
                reachedEnd = true
                return []
            }
            if errno == EINTR { continue }
            throw RawHTTPError.timedOut(waitingFor: "streamed body", received: [])
        }
    }

    private func firstRange(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        for start in 0...(haystack.count - needle.count) where haystack[start..<(start + needle.count)].elementsEqual(needle) {
            return start
        }
        return nil
    }

    private static func parseHead(_ bytes: [UInt8]) throws -> Head {
        let lines = String(decoding: bytes, as: UTF8.self).components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw RawHTTPError.malformed("bad status line: \(lines[0])")
        }
        let fields = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Head(status: status, fields: fields)
    }
}

/// The chunked transfer coding of a body read off the wire, decoded leniently: the data of every
/// COMPLETE chunk, and whether the terminating zero-size chunk arrived. A chunk cut off by the end
/// of the connection is left out, so a test sees what a careful client may trust.
public struct ChunkedTransfer: Sendable {
    public let data: [UInt8]
    public let terminated: Bool

    public init(raw: [UInt8]) {
        var data: [UInt8] = []
        var index = 0
        var terminated = false
        parsing: while true {
            guard let lineEnd = Self.crlf(in: raw, from: index),
                  let size = Int(String(decoding: raw[index..<lineEnd], as: UTF8.self)
                                    .split(separator: ";").first.map(String.init) ?? "", radix: 16)
            else { break parsing }
            let start = lineEnd + 2
            if size == 0 {
                terminated = raw.count >= start + 2
                break parsing
            }
            guard raw.count >= start + size + 2 else { break parsing }
            data += raw[start..<(start + size)]
            index = start + size + 2
        }
        self.data = data
        self.terminated = terminated
    }

    private static func crlf(in bytes: [UInt8], from start: Int) -> Int? {
        var index = start
        while index + 1 < bytes.count {
            if bytes[index] == 13 && bytes[index + 1] == 10 { return index }
            index += 1
        }
        return nil
    }
}
