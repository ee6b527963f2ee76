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

    /// Inflate output is produced into a scratch buffer of this size and appended in one copy.
    static let chunkSize = 256 * 1024

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
    ///
    /// Performance: output goes through a fixed scratch buffer and is appended with one bulk copy
    /// per chunk. Growing the result in place (appending filler to make room) was measured at 9 s
    /// for a 25 MiB state in a debug build, against well under a second this way.
    public static func decompress(_ compressed: [UInt8]) throws(CorruptState) -> [UInt8] {
        var stream = z_stream()
        guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw CorruptState(zlibStatus: Z_MEM_ERROR)
        }
        defer { inflateEnd(&stream) }
        let scratch = UnsafeMutablePointer<UInt8>.allocate(capacity: chunkSize)
        defer { scratch.deallocate() }
        var output: [UInt8] = []
        // Text states usually compress 5–20×.
        output.reserveCapacity(compressed.count * 8)
        var status: Int32 = Z_OK
        var input = compressed
        input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                stream.next_out = scratch
                stream.avail_out = uInt(chunkSize)
                status = inflate(&stream, Z_NO_FLUSH)
                let produced = chunkSize - Int(stream.avail_out)
                output.append(contentsOf: UnsafeBufferPointer(start: scratch, count: produced))
                if status != Z_OK { return }
                // Room left in the output and no input left, yet no stream end: truncated.
                if stream.avail_in == 0 && produced < chunkSize {
                    status = Z_BUF_ERROR
                    return
                }
            }
        }
        guard status == Z_STREAM_END, stream.avail_in == 0 else {
            throw CorruptState(zlibStatus: status == Z_STREAM_END ? Z_DATA_ERROR : status)
        }
        return output
    }
}
