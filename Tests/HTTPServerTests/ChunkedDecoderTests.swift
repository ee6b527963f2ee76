import HTTPServer
import Testing

/// A chunked body and what decoding it must give.
struct ChunkedRow: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable, Equatable {
        /// The decoded data and how many input bytes belong to the body.
        case body(String, consumed: Int)
        case error(status: Int)
    }

    let name: String
    let raw: [UInt8]
    let expected: Expected

    init(_ name: String, _ raw: [UInt8], _ expected: Expected) {
        self.name = name
        self.raw = raw
        self.expected = expected
    }

    /// A body that must decode to `data`, using all of `raw` except `trailing` bytes.
    init(_ name: String, _ raw: String, data: String, trailing: Int = 0) {
        self.init(name, bytes(raw), .body(data, consumed: raw.utf8.count - trailing))
    }

    init(_ name: String, _ raw: String, status: Int) {
        self.init(name, bytes(raw), .error(status: status))
    }

    var testDescription: String { name }
}

/// Small caps so the limit rows stay readable.
func makeDecoder() -> ChunkedBodyDecoder {
    ChunkedBodyDecoder(maxChunkExtensionBytes: 16, maxTrailerBytes: 32)
}

let validChunkedRows: [ChunkedRow] = [
    ChunkedRow("one chunk", "5\r\nhello\r\n0\r\n\r\n", data: "hello"),
    ChunkedRow("empty body", "0\r\n\r\n", data: ""),
    ChunkedRow("several chunks", "5\r\nhello\r\n1\r\n,\r\n6\r\n world\r\n0\r\n\r\n", data: "hello, world"),
    ChunkedRow("hex size in upper and lower case", "A\r\n0123456789\r\na\r\nabcdefghij\r\n0\r\n\r\n", data: "0123456789abcdefghij"),
    ChunkedRow("leading zeros, 15 digits in all", "00000000000000A\r\n0123456789\r\n000\r\n\r\n", data: "0123456789"),
    ChunkedRow("chunk data may hold CR, LF and NUL", "4\r\n\r\n\u{0}\n\r\n0\r\n\r\n", data: "\r\n\u{0}\n"),
    ChunkedRow("chunk extensions are dropped", "5;name=value\r\nhello\r\n0;last\r\n\r\n", data: "hello"),
    ChunkedRow("extension with quoted string, SP and HTAB", "2;a=\"b c\"\t\r\nhi\r\n0\r\n\r\n", data: "hi"),
    ChunkedRow("extension of exactly the cap", "2;123456789012345\r\nhi\r\n0\r\n\r\n", data: "hi"),
    ChunkedRow("trailer fields are dropped", "2\r\nhi\r\n0\r\nX-Checksum: abc\r\nY:\r\n\r\n", data: "hi"),
    ChunkedRow("trailer section of exactly the cap", "0\r\nX-T: 12345678901234567890123\r\n\r\n", data: ""),
    ChunkedRow("pipelined request after the body is not consumed", "2\r\nhi\r\n0\r\n\r\nGET / HTTP/1.1\r\n\r\n",
               data: "hi", trailing: 18),
]

let invalidChunkedRows: [ChunkedRow] = [
    ChunkedRow("size with a plus sign", "+5\r\nhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("size with a minus sign", "-1\r\n", status: 400),
    ChunkedRow("size with 0x", "0x5\r\nhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("space before the size", " 5\r\nhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("space after the size", "5 \r\nhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("space before the extension", "5 ;x\r\nhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("empty size line", "\r\nhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("not hex", "g\r\n", status: 400),
    ChunkedRow("16 hex digits", "0000000000000001\r\nx\r\n0\r\n\r\n", status: 400),
    ChunkedRow("size just past Int64", "10000000000000000\r\n", status: 400),
    ChunkedRow("bare LF after the size", "5\nhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("CR without LF after the size", "5\rhello\r\n0\r\n\r\n", status: 400),
    ChunkedRow("chunk data longer than its size", "5\r\nhelloX\r\n0\r\n\r\n", status: 400),
    ChunkedRow("chunk data followed by a bare LF", "5\r\nhello\n0\r\n\r\n", status: 400),
    ChunkedRow("extension longer than the cap", "2;1234567890123456\r\nhi\r\n0\r\n\r\n", status: 400),
    ChunkedRow("NUL in an extension", "2;a\u{0}\r\nhi\r\n0\r\n\r\n", status: 400),
    ChunkedRow("bare LF ends an extension", "2;a\nhi\r\n0\r\n\r\n", status: 400),
    ChunkedRow("trailer obs-fold", "0\r\nX: a\r\n b\r\n\r\n", status: 400),
    ChunkedRow("trailer whitespace before colon", "0\r\nX : a\r\n\r\n", status: 400),
    ChunkedRow("trailer empty name", "0\r\n: a\r\n\r\n", status: 400),
    ChunkedRow("trailer without colon", "0\r\nX\r\n\r\n", status: 400),
    ChunkedRow("trailer bare LF", "0\r\nX: a\n\r\n", status: 400),
    ChunkedRow("NUL in a trailer value", "0\r\nX: a\u{0}\r\n\r\n", status: 400),
    ChunkedRow("final line ended by a bare LF", "0\r\n\n", status: 400),
    ChunkedRow("final CR not followed by LF", "0\r\n\rX", status: 400),
    // Fuzz/regressions/harness-chunked-error-consumed: the fuzz harness compared how many bytes
    // a split and a one-shot decode had consumed before the same error.
    ChunkedRow("fuzz regression: error after a split", fuzzRegressionHarnessChunked, .error(status: 400)),
    ChunkedRow("trailer section over the cap", "0\r\nX-T: 123456789012345678901234\r\n\r\n", status: 431),
]

@Suite("ChunkedBodyDecoder (RFC 9112 §7.1)")
struct ChunkedDecoderTests {
    @Test("valid chunked bodies decode", arguments: validChunkedRows)
    func decodesValidBody(_ row: ChunkedRow) {
        #expect(decode(row.raw, pieceSize: row.raw.count) == row.expected)
    }

    @Test("invalid chunked bodies are refused (server-lessons §1.3)", arguments: invalidChunkedRows)
    func refusesInvalidBody(_ row: ChunkedRow) {
        #expect(decode(row.raw, pieceSize: row.raw.count) == row.expected)
    }

    @Test("byte-at-a-time and 3-byte pieces give the same outcome", arguments: validChunkedRows + invalidChunkedRows)
    func piecesEqualOneShot(_ row: ChunkedRow) {
        #expect(decode(row.raw, pieceSize: 1) == row.expected)
        #expect(decode(row.raw, pieceSize: 3) == row.expected)
    }

    @Test("a large chunk is copied whole and the default caps apply")
    func largeChunk() throws {
        let data = [UInt8](repeating: 0x41, count: 100_000)
        let raw = bytes("186a0\r\n") + data + bytes("\r\n0\r\n\r\n")
        var decoder = ChunkedBodyDecoder()
        var body: [UInt8] = []
        let (consumed, finished) = try feed(&decoder, raw, into: &body).get()
        #expect(finished && consumed == raw.count)
        #expect(body == data)
    }

    @Test("after the end, decode consumes nothing; after an error, it throws the same error again")
    func finalStates() throws {
        var decoder = makeDecoder()
        var body: [UInt8] = []
        let done = bytes("0\r\n\r\n")
        _ = try feed(&decoder, done, into: &body).get()
        #expect(decoder.isFinished)
        let more = try feed(&decoder, done, into: &body).get()
        #expect(more.consumed == 0 && more.finished)

        var failing = makeDecoder()
        let first = feed(&failing, bytes("+1\r\n"), into: &body)
        let second = feed(&failing, done, into: &body)
        #expect(throws: HTTPParseError.self) { try first.get() }
        #expect(throws: HTTPParseError.self) { try second.get() }
        if case .failure(let a) = first, case .failure(let b) = second { #expect(a == b) }
    }

    /// One `decode` call. The typed error travels in a Result because `withUnsafeBytes` only
    /// rethrows `any Error` (and a typed-throws closure passed to it crashes Swift 6.3.1's SILGen).
    private func feed(_ decoder: inout ChunkedBodyDecoder, _ raw: [UInt8], into body: inout [UInt8])
        -> Result<(consumed: Int, finished: Bool), HTTPParseError> {
        raw.withUnsafeBytes { buffer in
            Result { () throws(HTTPParseError) in try decoder.decode(buffer, into: &body) }
        }
    }

    /// Decodes `raw` in pieces of `pieceSize` bytes, as reads would deliver it.
    private func decode(_ raw: [UInt8], pieceSize: Int) -> ChunkedRow.Expected {
        var decoder = makeDecoder()
        var body: [UInt8] = []
        var consumed = 0
        var start = 0
        while start < raw.count || raw.isEmpty {
            let end = min(start + max(pieceSize, 1), raw.count)
            let piece = Array(raw[start..<end])
            switch feed(&decoder, piece, into: &body) {
            case .failure(let error):
                return .error(status: error.status)
            case .success(let (used, finished)):
                consumed += used
                if finished { return .body(String(decoding: body, as: UTF8.self), consumed: consumed) }
                // Until the end every byte is consumed: nothing is left for the caller to resend.
                if used != piece.count { return .error(status: -1) }
            }
            start = end
            if raw.isEmpty { break }
        }
        return .error(status: 0)  // ran out of input: not a row's expectation
    }
}
