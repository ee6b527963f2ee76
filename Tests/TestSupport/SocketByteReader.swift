import Foundation

/// Buffered reads from a blocking socket whose SO_RCVTIMEO turns a silent peer into an error.
/// Bytes are consumed only through `take`, so a failed parse still shows what arrived.
final class SocketByteReader {
    let descriptor: Int32
    private(set) var buffer: [UInt8] = []
    private var start = 0
    /// Set once recv returned 0.
    private(set) var reachedEOF = false

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    /// Bytes received but not consumed yet.
    var unread: ArraySlice<UInt8> { buffer[start...] }

    enum Fill {
        case data
        case endOfStream
    }

    /// Appends whatever the next recv brings.
    /// - Throws: `.timedOut` when the receive timeout passes, `.connectionReset` on RST.
    func fill(waitingFor what: String) throws -> Fill {
        if reachedEOF { return .endOfStream }
        compactIfWorthIt()
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count > 0 {
                buffer.append(contentsOf: chunk[0..<count])
                return .data
            }
            if count == 0 {
                reachedEOF = true
                return .endOfStream
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: throw RawHTTPError.timedOut(waitingFor: what, received: Array(unread))
            case ECONNRESET: throw RawHTTPError.connectionReset(received: Array(unread))
            default: throw RawHTTPError.connectionReset(received: Array(unread))
            }
        }
    }

    /// Adds bytes read elsewhere (e.g. while watching for a close).
    func append(_ bytes: ArraySlice<UInt8>) {
        buffer.append(contentsOf: bytes)
    }

    func markEOF() {
        reachedEOF = true
    }

    /// Removes and returns the next `count` unread bytes (caller made sure they are there).
    func take(_ count: Int) -> [UInt8] {
        let bytes = Array(buffer[start..<(start + count)])
        start += count
        return bytes
    }

    /// Index (relative to the unread part) of the first LF, or nil.
    func firstLineFeed() -> Int? {
        unread.firstIndex(of: UInt8(ascii: "\n")).map { $0 - start }
    }

    /// Dropping consumed bytes costs a copy; do it only when they dominate the buffer, so a long
    /// streamed body is not copied once per recv.
    private func compactIfWorthIt() {
        if start > 0 && start >= buffer.count / 2 {
            buffer.removeFirst(start)
            start = 0
        }
    }
}
