import CZlib

/// The zlib (RFC 1950) form in which work item states are stored (domain.md DOM-67): the server
/// compresses the client's text on every write and inflates it on every read, byte for byte.
public enum StateCompression {
    /// A stored state that cannot be inflated (a damaged row); never expected.
    public struct CorruptState: Error, CustomStringConvertible {
        public let zlibStatus: Int32
        public var description: String { "work item state is not a valid zlib stream (zlib status \(zlibStatus))" }
    }

    /// Level 1 on purpose: the fetch worker writes the state on every attempt, and multi-megabyte
    /// JSON states compress nearly as well at level 1 as at 6 for about a third of the CPU time.
    static let level: Int32 = 1

    /// The zlib stream of `text` (one-shot: `compressBound` sizes the output buffer exactly).
    public static func compress(_ text: [UInt8]) -> [UInt8] {
        var capacity = compressBound(uLong(text.count))
        var output = [UInt8](repeating: 0, count: Int(capacity))
        let status = text.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                compress2(out.baseAddress, &capacity, input.baseAddress, uLong(input.count), level)
            }
        }
        // compress2 can fail only for lack of memory or a too-small buffer, both impossible here.
        precondition(status == Z_OK, "compress2 failed: \(status)")
        output.removeSubrange(Int(capacity)...)
        return output
    }

    /// The text of a zlib stream. The whole stream must be valid and complete, with nothing after it.
    public static func decompress(_ compressed: [UInt8]) throws(CorruptState) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CorruptState(zlibStatus: Z_MEM_ERROR)
        }
        defer { inflateEnd(&stream) }
        // Text states usually compress 5–20×; start there and grow by doubling.
        var output = [UInt8](repeating: 0, count: max(4096, compressed.count * 8))
        var produced = 0
        var status: Int32 = Z_OK
        var input = compressed
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                if produced == output.count {
                    output.append(contentsOf: repeatElement(0, count: output.count))
                }
                status = output.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress! + produced
                    stream.avail_out = uInt(out.count - produced)
                    let result = inflate(&stream, Z_NO_FLUSH)
                    produced = out.count - Int(stream.avail_out)
                    return result
                }
                if status == Z_STREAM_END { return }
                if status != Z_OK { return }
                // Z_OK with room left in the output and no input left: the stream is truncated.
                if stream.avail_in == 0 && produced < output.count {
                    status = Z_BUF_ERROR
                    return
                }
            }
        }
        guard status == Z_STREAM_END, stream.avail_in == 0 else {
            throw CorruptState(zlibStatus: status == Z_STREAM_END ? Z_DATA_ERROR : status)
        }
        output.removeSubrange(produced...)
        return output
    }
}
