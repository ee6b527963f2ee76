import CZlib

/// The `ResponseBodyWriter` a streaming producer writes to. The response head goes out with the
/// first body bytes (so a producer that fails before writing can still answer with an error);
/// gzip is applied incrementally and flushed at each write, so the client sees every batch as it is
/// produced; then the chunked transfer coding.
final class StreamBodyWriter: ResponseBodyWriter {
    private let channel: StreamChannel
    private var pendingHead: [UInt8]?
    private let gzip: GzipCompressor?
    private let chunked: Bool
    private(set) var bodyBytesSent = 0

    init(channel: StreamChannel, head: [UInt8], gzip: Bool, chunked: Bool) {
        self.channel = channel
        self.pendingHead = head
        self.gzip = gzip ? GzipCompressor() : nil
        self.chunked = chunked
    }

    var headSent: Bool { pendingHead == nil }

    var isClientGone: Bool { channel.isFailed }

    func write(_ bytes: [UInt8]) throws {
        guard !bytes.isEmpty else { return }
        if let gzip {
            var compressed: [UInt8] = []
            gzip.compress(bytes, flush: Z_SYNC_FLUSH, into: &compressed)
            try send(framed: compressed)
        } else {
            try send(framed: bytes)
        }
    }

    /// Ends the body: gzip trailer, then the last chunk (RFC 9112 §7.1). Not called when the
    /// producer failed, so the client then sees a truncated transfer (auditor.md AUD-15).
    func finish() throws {
        if let gzip {
            var tail: [UInt8] = []
            gzip.compress([], flush: Z_FINISH, into: &tail)
            try send(framed: tail)
        }
        var last = takeHead()
        if chunked { last.append(contentsOf: "0\r\n\r\n".utf8) }
        try channel.send(last)
    }

    private func takeHead() -> [UInt8] {
        defer { pendingHead = nil }
        return pendingHead ?? []
    }

    private func send(framed payload: [UInt8]) throws {
        guard !payload.isEmpty else { return }
        bodyBytesSent += payload.count
        var bytes = takeHead()
        bytes.reserveCapacity(bytes.count + payload.count + 20)
        if chunked {
            bytes.append(contentsOf: String(payload.count, radix: 16).utf8)
            bytes.append(contentsOf: [0x0D, 0x0A])
            bytes.append(contentsOf: payload)
            bytes.append(contentsOf: [0x0D, 0x0A])
        } else {
            bytes.append(contentsOf: payload)
        }
        try channel.send(bytes)
    }
}
