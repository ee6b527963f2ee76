import Foundation

/// A deliberately dumb, strict HTTP/1.1 client over one blocking TCP socket, for tests that talk
/// to the real server: it sends exactly the bytes it is given and parses exactly what comes back.
/// Not thread-safe: one test uses one client.
public final class RawHTTPClient {
    public let host: String
    public let port: Int
    private let descriptor: Int32
    private let reader: SocketByteReader
    private var closed = false

    /// How long a read (and a blocked write) may wait before failing with `.timedOut` / `.sendFailed`.
    public var receiveTimeout: TimeInterval {
        didSet { Self.setTimeout(descriptor, option: SO_RCVTIMEO, seconds: receiveTimeout) }
    }

    /// Connects a blocking TCP socket with TCP_NODELAY (so small test writes go out at once).
    public init(host: String = "127.0.0.1", port: Int, receiveTimeout: TimeInterval = 10) throws {
        self.host = host
        self.port = port
        self.receiveTimeout = receiveTimeout
        self.descriptor = try Self.connect(host: host, port: port)
        self.reader = SocketByteReader(descriptor: descriptor)
        var one: Int32 = 1
        setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        Self.setTimeout(descriptor, option: SO_RCVTIMEO, seconds: receiveTimeout)
        Self.setTimeout(descriptor, option: SO_SNDTIMEO, seconds: receiveTimeout)
    }

    deinit {
        close()
    }

    // MARK: - Writing

    /// Writes all of `bytes` (MSG_NOSIGNAL: a closed peer is an error, not SIGPIPE).
    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if written < 0 {
                if errno == EINTR { continue }
                throw RawHTTPError.sendFailed(errno: errno, message: String(cString: strerror(errno)))
            }
            offset += written
        }
    }

    /// Writes `text` as UTF-8, byte for byte (write "\r\n" yourself).
    public func send(_ text: String) throws {
        try send(Array(text.utf8))
    }

    /// Half-closes: the server sees EOF on its read side, we can still read.
    public func shutdownWrite() {
        shutdown(descriptor, Int32(SHUT_WR))
    }

    /// Closes with a TCP reset (SO_LINGER 0) instead of a FIN: a client that vanishes abruptly.
    public func reset() {
        guard !closed else { return }
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close()
    }

    public func close() {
        guard !closed else { return }
        closed = true
        Glibc.close(descriptor)
    }

    // MARK: - Reading

    /// The next final response; 1xx interim responses (except 101) are read and skipped.
    public func readResponse(forHEAD: Bool = false) throws -> TestHTTPResponse {
        while true {
            let response = try readInterimOrFinal(forHEAD: forHEAD)
            if !response.isInterim || response.status == 101 { return response }
        }
    }

    /// The next response, which may be a 1xx interim one such as 100 Continue.
    public func readInterimOrFinal(forHEAD: Bool = false) throws -> TestHTTPResponse {
        try HTTPResponseReader(source: reader).read(forHEAD: forHEAD)
    }

    /// Everything (unread bytes included) until the server closes the connection.
    public func readAllUntilClose() throws -> [UInt8] {
        try HTTPResponseReader(source: reader).readUntilClose()
    }

    /// Bytes that arrived but were not part of a response read so far.
    public var unreadBytes: [UInt8] { Array(reader.unread) }

    /// Whether the peer closes (FIN or RST) within `seconds`. Bytes arriving meanwhile are kept for
    /// later reads and do not count as a close.
    public func isClosedByPeer(within seconds: TimeInterval) -> Bool {
        if reader.reachedEOF { return true }
        let deadline = Date().addingTimeInterval(seconds)
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let remaining = deadline.timeIntervalSinceNow
            guard remaining > 0 else { return false }
            var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(remaining * 1000, Double(Int32.max))) + 1)
            if ready < 0 && errno == EINTR { continue }
            if ready <= 0 { continue }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, Int32(MSG_DONTWAIT)) }
            if count > 0 {
                reader.append(chunk[0..<count])
            } else if count == 0 {
                reader.markEOF()
                return true
            } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                return true  // ECONNRESET and friends: the peer is gone
            }
        }
    }

    // MARK: - Convenience

    /// Writes a well-formed HTTP/1.1 request and reads the final response. Adds `Host` and
    /// `Content-Length` unless `headers` already has them (or Transfer-Encoding); a POST, PUT or
    /// PATCH without a body gets `Content-Length: 0`.
    public func request(
        method: String, path: String, headers: [(name: String, value: String)] = [], body: [UInt8]? = nil
    ) throws -> TestHTTPResponse {
        let given = TestHTTPHeaders(headers.map { TestHTTPHeaders.Field(name: $0.name, value: $0.value) })
        var head = "\(method) \(path) HTTP/1.1\r\n"
        if !given.contains("Host") {
            head += "Host: \(host.contains(":") ? "[\(host)]" : host):\(port)\r\n"
        }
        for field in headers { head += "\(field.name): \(field.value)\r\n" }
        if !given.contains("Content-Length") && !given.contains("Transfer-Encoding") {
            if let body {
                head += "Content-Length: \(body.count)\r\n"
            } else if ["POST", "PUT", "PATCH"].contains(method) {
                head += "Content-Length: 0\r\n"
            }
        }
        head += "\r\n"
        try send(Array(head.utf8) + (body ?? []))
        return try readResponse(forHEAD: method == "HEAD")
    }

    /// `request` with a UTF-8 text body.
    public func request(
        method: String, path: String, headers: [(name: String, value: String)] = [], body: String
    ) throws -> TestHTTPResponse {
        try request(method: method, path: path, headers: headers, body: Array(body.utf8))
    }

    // MARK: - Socket setup

    private static func connect(host: String, port: Int) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw RawHTTPError.connectFailed("cannot resolve \(host): \(String(cString: gai_strerror(status)))")
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let address = entry {
            entry = address.pointee.ai_next
            // CLOEXEC: child processes the tests start must not keep the connection open.
            let descriptor = socket(address.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard descriptor >= 0 else {
                lastError = String(cString: strerror(errno))
                continue
            }
            if Glibc.connect(descriptor, address.pointee.ai_addr, address.pointee.ai_addrlen) == 0 {
                return descriptor
            }
            lastError = String(cString: strerror(errno))
            Glibc.close(descriptor)
        }
        throw RawHTTPError.connectFailed("\(host):\(port): \(lastError)")
    }

    private static func setTimeout(_ descriptor: Int32, option: Int32, seconds: TimeInterval) {
        let whole = max(0, seconds.rounded(.down))
        var value = timeval(tv_sec: Int(whole), tv_usec: Int((seconds - whole) * 1_000_000))
        setsockopt(descriptor, SOL_SOCKET, option, &value, socklen_t(MemoryLayout<timeval>.size))
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago: bind port 0, read the port back, close.
public func freePort() -> Int {
    let (descriptor, port) = boundLoopbackSocket()
    close(descriptor)
    return port
}

/// A TCP socket bound to 127.0.0.1 on a port the kernel picked, and that port.
func boundLoopbackSocket() -> (descriptor: Int32, port: Int) {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    precondition(descriptor >= 0, "socket() failed: \(String(cString: strerror(errno)))")
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    precondition(bound == 0, "bind() failed: \(String(cString: strerror(errno)))")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let named = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(descriptor, $0, &length) }
    }
    precondition(named == 0, "getsockname() failed: \(String(cString: strerror(errno)))")
    return (descriptor, Int(UInt16(bigEndian: address.sin_port)))
}

/// A TCP listener on 127.0.0.1 that never accepts and never answers: the kernel completes a
/// client's connect, and then nothing comes back, as from a database host that hangs.
public final class SilentListener {
    public let port: Int
    private let descriptor: Int32

    public init() {
        (descriptor, port) = boundLoopbackSocket()
        precondition(listen(descriptor, 64) == 0, "listen() failed: \(String(cString: strerror(errno)))")
    }

    deinit { close(descriptor) }
}
