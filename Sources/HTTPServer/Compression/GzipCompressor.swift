import CZlib

/// gzip (RFC 1952) through zlib, one-shot or as a stream.
///
/// Level 1 on purpose: the Go workers send `Accept-Encoding: gzip` on every call (api-v2.md W25), so
/// nearly every response of 1 KiB or more is compressed on the hot path. JSON compresses almost as
/// well at level 1 as at 6, for about a third of the CPU.
public final class GzipCompressor {
    private var stream = z_stream()
    private var finished = false

    public init(level: Int32 = 1) {
        // 15 window bits + 16 selects the gzip wrapper; 8 = default memory level.
        let status = deflateInit2_(&stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
    }

    deinit {
        deflateEnd(&stream)
    }

    /// Compresses `input` and appends the output to `output`. `flush`: `Z_NO_FLUSH` while more input
    /// follows, `Z_SYNC_FLUSH` to push out everything so far (a streamed chunk the client should see
    /// now), `Z_FINISH` for the end.
    public func compress(_ input: [UInt8], flush: Int32, into output: inout [UInt8]) {
        precondition(!finished, "gzip stream already finished")
        var scratch = [UInt8](repeating: 0, count: max(1024, input.count / 2 + 64))
        input.withUnsafeBufferPointer { inputPointer in
            stream.next_in = UnsafeMutablePointer(mutating: inputPointer.baseAddress)
            stream.avail_in = uInt(inputPointer.count)
            repeat {
                let produced: Int = scratch.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(out.count)
                    let status = deflate(&stream, flush)
                    precondition(status == Z_OK || status == Z_STREAM_END || status == Z_BUF_ERROR,
                                 "deflate failed: \(status)")
                    return out.count - Int(stream.avail_out)
                }
                output.append(contentsOf: scratch[0..<produced])
                // zlib signals "all output written" by leaving room in the output buffer.
            } while stream.avail_out == 0
            stream.next_in = nil
        }
        if flush == Z_FINISH { finished = true }
    }

    /// One-shot compression of a whole body.
    public static func compress(_ body: [UInt8]) -> [UInt8] {
        let compressor = GzipCompressor()
        var output: [UInt8] = []
        output.reserveCapacity(body.count / 3 + 64)
        compressor.compress(body, flush: Z_FINISH, into: &output)
        return output
    }
}
