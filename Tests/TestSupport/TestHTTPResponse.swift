import CZlib
import Foundation

/// One HTTP response as read off the wire by `RawHTTPClient`.
public struct TestHTTPResponse: Sendable {
    /// `HTTP/1.1` (whatever the status line said).
    public let version: String
    public let status: Int
    /// The reason phrase (possibly empty).
    public let reason: String
    public let headers: TestHTTPHeaders
    /// The body after removing chunked framing (still content-coded, e.g. gzip).
    public let body: [UInt8]
    /// nil when the body was not chunked; else whether the terminating zero-size chunk arrived
    /// (false: the stream was cut off, as when an export is aborted).
    public let chunkedComplete: Bool?
    /// Trailer fields after the last chunk.
    public let trailers: TestHTTPHeaders
    /// Status line, header lines and the empty line, byte for byte as received.
    public let rawHead: [UInt8]

    /// True for 1xx responses (e.g. 100 Continue).
    public var isInterim: Bool { (100..<200).contains(status) }

    /// The body decoded as UTF-8 (invalid bytes replaced).
    public var text: String { String(decoding: body, as: UTF8.self) }

    /// The body parsed with JSONSerialization (fragments allowed).
    public var json: Any {
        get throws { try JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) }
    }

    /// The body as a JSON object; throws if it is anything else.
    public func jsonObject() throws -> [String: Any] {
        guard let object = try json as? [String: Any] else {
            throw RawHTTPError.malformed("body is not a JSON object: \(text.prefix(200))")
        }
        return object
    }

    /// The body as a JSON array; throws if it is anything else.
    public func jsonArray() throws -> [Any] {
        guard let array = try json as? [Any] else {
            throw RawHTTPError.malformed("body is not a JSON array: \(text.prefix(200))")
        }
        return array
    }

    /// The body gunzipped (for `Content-Encoding: gzip`). Strict: a truncated stream or bytes after
    /// the gzip member are errors.
    public func gunzippedBody() throws -> [UInt8] {
        try Gunzip.decompress(body)
    }
}

/// zlib inflate with gzip framing.
enum Gunzip {
    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // 15 window bits + 16: expect a gzip header and trailer, not a zlib one.
        guard inflateInit2_(&stream, 15 + 16, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw RawHTTPError.badGzip("inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        var input = input
        let status: Int32 = input.withUnsafeMutableBufferPointer { inputBuffer in
            stream.next_in = inputBuffer.baseAddress
            stream.avail_in = uInt(inputBuffer.count)
            while true {
                let result: Int32 = chunk.withUnsafeMutableBufferPointer { chunkBuffer in
                    stream.next_out = chunkBuffer.baseAddress
                    stream.avail_out = uInt(chunkBuffer.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                output.append(contentsOf: chunk[0..<(chunk.count - Int(stream.avail_out))])
                if result != Z_OK { return result }
                if stream.avail_in == 0 && stream.avail_out != 0 { return Z_BUF_ERROR }  // input ended early
            }
        }
        guard status == Z_STREAM_END else {
            throw RawHTTPError.badGzip(status == Z_BUF_ERROR ? "truncated gzip stream" : "inflate error \(status)")
        }
        guard stream.avail_in == 0 else {
            throw RawHTTPError.badGzip("\(stream.avail_in) bytes after the end of the gzip stream")
        }
        return output
    }
}
