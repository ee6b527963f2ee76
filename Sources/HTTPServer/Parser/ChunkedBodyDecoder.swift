/// Chunked transfer coding (RFC 9112 §7.1), incremental: a byte-level state machine, so the input
/// may be split anywhere. Strict where lenient parsers were exploited (server-lessons §1.3):
/// chunk-size is 1*HEXDIG with at most 15 digits (no sign, `0x` or spaces), every line ends in
/// CRLF, extensions and trailers are capped. Extensions and trailer fields are checked and dropped.
/// Any error is final: later calls throw it again, and the connection answers it and closes.
public struct ChunkedBodyDecoder: Sendable {
    /// 15 hex digits keep every size below 2^60, so the arithmetic cannot overflow.
    static let maxSizeDigits = 15

    /// Most bytes of the extensions on one chunk-size line, from the first `;` to before the CR.
    public let maxChunkExtensionBytes: Int
    /// Most bytes of the trailer section, from after the last chunk's CRLF through the final CRLF.
    public let maxTrailerBytes: Int

    private var state = State.sizeStart
    private var chunkSize = 0
    private var sizeDigits = 0
    private var extensionBytes = 0
    private var trailerBytes = 0
    /// Data bytes of the current chunk still to come.
    private var remaining = 0
    private var failure: HTTPParseError?

    public init(maxChunkExtensionBytes: Int = 4096, maxTrailerBytes: Int = 16384) {
        self.maxChunkExtensionBytes = maxChunkExtensionBytes
        self.maxTrailerBytes = maxTrailerBytes
    }

    /// True once the last chunk, the trailer section and its final CRLF have been read.
    public var isFinished: Bool { state == .finished }

    /// Consumes as much of `input` as possible, appending decoded data to `body`. Until the body
    /// is finished every byte is consumed; `consumed` is smaller than `input.count` only when the
    /// body ends inside `input`, and the rest (a pipelined request) belongs to the caller.
    /// Errors have status 400, or 431 when the trailer section exceeds `maxTrailerBytes`.
    public mutating func decode(_ input: UnsafeRawBufferPointer, into body: inout [UInt8]) throws(HTTPParseError) -> (consumed: Int, finished: Bool) {
        if let failure { throw failure }
        var index = 0
        let count = input.count
        while index < count, state != .finished {
            if state == .data {
                // Chunk data is copied in one block, not byte by byte: this is the hot path.
                let take = min(remaining, count - index)
                body.append(contentsOf: UnsafeRawBufferPointer(rebasing: input[index..<(index + take)]))
                index += take
                remaining -= take
                if remaining == 0 { state = .dataCR }
                continue
            }
            do throws(HTTPParseError) {
                try step(input[index])
            } catch {
                failure = error
                throw error
            }
            index += 1
        }
        return (index, state == .finished)
    }

    private enum State: Sendable {
        case sizeStart, size, chunkExtension, sizeLineLF
        case data, dataCR, dataLF
        case trailerLineStart, trailerName, trailerValue, trailerLineLF, finalLF
        case finished
    }

    /// Advances the state machine by one byte outside chunk data.
    private mutating func step(_ byte: UInt8) throws(HTTPParseError) {
        switch state {
        case .sizeStart:
            guard let digit = HTTPByte.hexValue(byte) else { throw .badRequest("invalid chunk size") }
            chunkSize = digit
            sizeDigits = 1
            state = .size
        case .size:
            if let digit = HTTPByte.hexValue(byte) {
                sizeDigits += 1
                guard sizeDigits <= Self.maxSizeDigits else { throw .badRequest("chunk size too long") }
                chunkSize = chunkSize << 4 | digit
            } else if byte == HTTPByte.semicolon {
                // The cap counts the whole chunk-ext of RFC 9112 §7.1.1, its first ";" included.
                extensionBytes = 1
                guard extensionBytes <= maxChunkExtensionBytes else { throw .badRequest("chunk extension too long") }
                state = .chunkExtension
            } else if byte == HTTPByte.cr {
                state = .sizeLineLF
            } else {
                throw .badRequest("invalid chunk size")
            }
        case .chunkExtension:
            if byte == HTTPByte.cr {
                state = .sizeLineLF
                return
            }
            guard HTTPByte.isVisible(byte) || HTTPByte.isWhitespace(byte) else {
                throw .badRequest("invalid character in chunk extension")
            }
            extensionBytes += 1
            guard extensionBytes <= maxChunkExtensionBytes else { throw .badRequest("chunk extension too long") }
        case .sizeLineLF:
            guard byte == HTTPByte.lf else { throw .badRequest("chunk size line not ended by CRLF") }
            if chunkSize == 0 {
                state = .trailerLineStart
            } else {
                remaining = chunkSize
                state = .data
            }
        case .data:
            preconditionFailure("chunk data is copied in bulk by decode")
        case .dataCR:
            guard byte == HTTPByte.cr else { throw .badRequest("chunk data not followed by CRLF") }
            state = .dataLF
        case .dataLF:
            guard byte == HTTPByte.lf else { throw .badRequest("chunk data not followed by CRLF") }
            state = .sizeStart
        case .trailerLineStart, .trailerName, .trailerValue, .trailerLineLF, .finalLF:
            trailerBytes += 1
            guard trailerBytes <= maxTrailerBytes else {
                throw HTTPParseError(status: 431, message: "chunked trailer section too large")
            }
            try stepTrailer(byte)
        case .finished:
            preconditionFailure("decode stops at the end of the body")
        }
    }

    /// Trailer fields follow the header-line syntax (RFC 9112 §7.1.2); their contents are dropped.
    private mutating func stepTrailer(_ byte: UInt8) throws(HTTPParseError) {
        switch state {
        case .trailerLineStart:
            if byte == HTTPByte.cr {
                state = .finalLF
            } else if HTTPByte.isTokenChar(byte) {
                state = .trailerName
            } else if HTTPByte.isWhitespace(byte) {
                throw .badRequest("obsolete line folding in trailer")
            } else if byte == HTTPByte.colon {
                throw .badRequest("empty trailer field name")
            } else {
                throw .badRequest("invalid character in trailer field name")
            }
        case .trailerName:
            if byte == HTTPByte.colon {
                state = .trailerValue
            } else if HTTPByte.isWhitespace(byte) {
                throw .badRequest("whitespace between trailer field name and colon")
            } else if !HTTPByte.isTokenChar(byte) {
                throw .badRequest("invalid character in trailer field name")
            }
        case .trailerValue:
            if byte == HTTPByte.cr {
                state = .trailerLineLF
            } else if !HTTPByte.isFieldValueByte(byte) {
                throw .badRequest(byte == HTTPByte.lf ? "trailer line ended by a bare LF" : "invalid character in trailer value")
            }
        case .trailerLineLF:
            guard byte == HTTPByte.lf else { throw .badRequest("trailer line not ended by CRLF") }
            state = .trailerLineStart
        case .finalLF:
            guard byte == HTTPByte.lf else { throw .badRequest("chunked body not ended by CRLF") }
            state = .finished
        default:
            preconditionFailure("stepTrailer outside the trailer section")
        }
    }
}
