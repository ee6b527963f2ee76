#if canImport(Glibc)
@preconcurrency import Glibc
#endif

/// A bound, listening, non-blocking TCP socket.
struct ListeningSocket {
    let fd: Int32
    let port: Int

    /// Resolves `host` (a literal address or a name) and listens on the first address that binds.
    static func open(host: String, port: Int, backlog: Int32 = 1024) throws(SocketCall.Failure) -> ListeningSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_PASSIVE
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, String(port), &hints, &list)
        guard status == 0, let first = list else {
            throw SocketCall.Failure(call: "getaddrinfo(\(host))", errno: EINVAL)
        }
        defer { freeaddrinfo(list) }

        var lastError = SocketCall.Failure(call: "bind", errno: EADDRNOTAVAIL)
        var candidate: UnsafeMutablePointer<addrinfo>? = first
        while let info = candidate {
            candidate = info.pointee.ai_next
            let fd = socket(info.pointee.ai_family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { lastError = .init(call: "socket", errno: errno); continue }
            SocketCall.setOption(fd, level: SOL_SOCKET, name: SO_REUSEADDR, value: 1)
            guard bind(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 else {
                lastError = .init(call: "bind(\(host):\(port))", errno: errno)
                close(fd)
                continue
            }
            guard listen(fd, backlog) == 0 else {
                lastError = .init(call: "listen", errno: errno)
                close(fd)
                continue
            }
            do {
                try SocketCall.setNonBlocking(fd)
            } catch {
                close(fd)
                throw error
            }
            return ListeningSocket(fd: fd, port: boundPort(fd) ?? port)
        }
        throw lastError
    }

    private static func boundPort(_ fd: Int32) -> Int? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let ok = withUnsafeMutablePointer(to: &storage) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) == 0 }
        }
        guard ok else { return nil }
        switch Int32(storage.ss_family) {
        case AF_INET:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin_port)) }
            }
        case AF_INET6:
            return withUnsafePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { Int(UInt16(bigEndian: $0.pointee.sin6_port)) }
            }
        default:
            return nil
        }
    }

    /// One accepted connection, already non-blocking and close-on-exec.
    struct Accepted {
        let fd: Int32
        let remoteAddress: String
    }

    enum AcceptOutcome {
        case accepted(Accepted)
        case wouldBlock
        /// EMFILE/ENFILE/ENOBUFS/ENOMEM: the caller pauses accepting for a moment.
        case outOfResources
        case failed(Int32)
    }

    func acceptOne() -> AcceptOutcome {
        while true {
            var storage = sockaddr_storage()
            var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
            let client = withUnsafeMutablePointer(to: &storage) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(fd, $0, &length) }
            }
            if client >= 0 {
                // Glibc's Swift module does not export accept4 (it needs _GNU_SOURCE), so the flags are
                // set afterwards; with keep-alive clients accepts are rare enough for two extra calls.
                _ = fcntl(client, F_SETFD, FD_CLOEXEC)
                do {
                    try SocketCall.setNonBlocking(client)
                } catch {
                    close(client)
                    continue
                }
                SocketCall.disableNagle(client)
                return .accepted(Accepted(fd: client, remoteAddress: SocketAddressText.describe(storage)))
            }
            switch errno {
            case EINTR, ECONNABORTED, EPROTO: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EMFILE, ENFILE, ENOBUFS, ENOMEM: return .outOfResources
            default: return .failed(errno)
            }
        }
    }
}
