import Foundation

/// Reads one HTTP/1.1 response from a `SocketByteReader`, strictly: CRLF line endings only, no
/// obs-fold, a well-formed status line, and unambiguous framing (RFC 9112 §4, §5, §6.3, §7.1).
struct HTTPResponseReader {
    let source: SocketByteReader
    /// Guards against a server that never ends a line.
    static let maximumLineBytes = 1 << 20

    func read(forHEAD: Bool) throws -> TestHTTPResponse {
        var rawHead: [UInt8] = []
        let statusLine = try readLine(into: &rawHead, what: "status line", atStart: true)
        let (version, status, reason) = try parseStatusLine(statusLine)
        let headers = try readFields(into: &rawHead, what: "header fields")

        var body: [UInt8] = []
        var chunkedComplete: Bool?
        var trailers = TestHTTPHeaders()
        let bodiless = forHEAD || (100..<200).contains(status) || status == 204 || status == 304
        if !bodiless {
            switch try framing(headers) {
            case .chunked:
                (body, chunkedComplete, trailers) = try readChunked()
            case .length(let length):
                body = try readExactly(length)
            case .untilClose:
                body = try readUntilClose()
            }
        }
        return TestHTTPResponse(
            version: version, status: status, reason: reason, headers: headers, body: body,
            chunkedComplete: chunkedComplete, trailers: trailers, rawHead: rawHead
        )
    }

    func readUntilClose() throws -> [UInt8] {
        while try source.fill(waitingFor: "the connection to close") == .data {}
        return source.take(source.unread.count)
    }

    // MARK: - Lines and fields

    /// One CRLF-terminated line without its CRLF, also appended (with CRLF) to `raw`.
    private func readLine(into raw: inout [UInt8], what: String, atStart: Bool = false) throws -> [UInt8] {
        while true {
            if let lineFeed = source.firstLineFeed() {
                let line = source.take(lineFeed + 1)
                raw.append(contentsOf: line)
                guard lineFeed > 0, line[lineFeed - 1] == UInt8(ascii: "\r") else {
                    throw RawHTTPError.malformed("bare LF in \(what): \(Self.show(line))")
                }
                let content = Array(line.dropLast(2))
                if content.contains(UInt8(ascii: "\r")) {
                    throw RawHTTPError.malformed("bare CR in \(what): \(Self.show(line))")
                }
                return content
            }
            guard source.unread.count < Self.maximumLineBytes else {
                throw RawHTTPError.malformed("\(what) longer than \(Self.maximumLineBytes) bytes")
            }
            if try source.fill(waitingFor: what) == .endOfStream {
                let received = Array(source.unread)
                if atStart { throw RawHTTPError.closedBeforeResponse(received: raw + received) }
                throw RawHTTPError.malformed("connection closed inside \(what) after \(Self.show(raw + received))")
            }
        }
    }

    private func readFields(into raw: inout [UInt8], what: String) throws -> TestHTTPHeaders {
        var fields: [TestHTTPHeaders.Field] = []
        while true {
            let line = try readLine(into: &raw, what: what)
            if line.isEmpty { return TestHTTPHeaders(fields) }
            fields.append(try parseField(line))
        }
    }

    private func parseField(_ line: [UInt8]) throws -> TestHTTPHeaders.Field {
        if line.first == UInt8(ascii: " ") || line.first == UInt8(ascii: "\t") {
            throw RawHTTPError.malformed("obs-fold continuation line: \(Self.show(line))")
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else {
            throw RawHTTPError.malformed("header line without a field name and colon: \(Self.show(line))")
        }
        let name = line[..<colon]
        guard name.allSatisfy(Self.isTokenByte) else {
            throw RawHTTPError.malformed("invalid field name (whitespace or delimiter): \(Self.show(line))")
        }
        var value = line[(colon + 1)...]
        while let first = value.first, first == UInt8(ascii: " ") || first == UInt8(ascii: "\t") { value.removeFirst() }
        while let last = value.last, last == UInt8(ascii: " ") || last == UInt8(ascii: "\t") { value.removeLast() }
        if value.contains(0) { throw RawHTTPError.malformed("NUL in field value: \(Self.show(line))") }
        return TestHTTPHeaders.Field(name: String(decoding: name, as: UTF8.self), value: Self.decodeValue(value))
    }

    private func parseStatusLine(_ line: [UInt8]) throws -> (String, Int, String) {
        // HTTP-version SP 3DIGIT SP [reason-phrase]
        let text = String(decoding: line, as: UTF8.self)
        let bytes = Array(line)
        guard bytes.count >= 13,
              bytes[0..<5].elementsEqual("HTTP/".utf8),
              Self.isDigit(bytes[5]), bytes[6] == UInt8(ascii: "."), Self.isDigit(bytes[7]),
              bytes[8] == UInt8(ascii: " "),
              bytes[9..<12].allSatisfy(Self.isDigit),
              bytes[12] == UInt8(ascii: " ")
        else {
            throw RawHTTPError.malformed("bad status line: \(Self.show(line))")
        }
        let status = Int(String(decoding: bytes[9..<12], as: UTF8.self)) ?? 0
        return (String(text.prefix(8)), status, Self.decodeValue(bytes[13...]))
    }

    // MARK: - Body framing

    private enum Framing {
        case chunked
        case length(Int)
        case untilClose
    }

    private func framing(_ headers: TestHTTPHeaders) throws -> Framing {
        let transferCodings = headers.values("Transfer-Encoding")
            .flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        let lengths = headers.values("Content-Length")
        if !transferCodings.isEmpty && !lengths.isEmpty {
            throw RawHTTPError.malformed("both Transfer-Encoding and Content-Length")
        }
        if !transferCodings.isEmpty {
            return transferCodings.last == "chunked" ? .chunked : .untilClose
        }
        guard let first = lengths.first else { return .untilClose }
        guard lengths.allSatisfy({ $0 == first }), !first.isEmpty, first.utf8.allSatisfy(Self.isDigit),
              let length = Int(first)
        else {
            throw RawHTTPError.malformed("invalid or conflicting Content-Length: \(lengths)")
        }
        return .length(length)
    }

    private func readExactly(_ length: Int) throws -> [UInt8] {
        while source.unread.count < length {
            if try source.fill(waitingFor: "\(length)-byte body") == .endOfStream {
                throw RawHTTPError.truncatedBody(expected: length, received: Array(source.unread))
            }
        }
        return source.take(length)
    }

    /// Chunked body; a connection closed before the zero-size chunk yields what arrived and
    /// `complete == false` instead of an error, because tests of aborted streams need the bytes.
    private func readChunked() throws -> ([UInt8], Bool, TestHTTPHeaders) {
        var raw: [UInt8] = []  // framing lines are not part of rawHead
        var body: [UInt8] = []
        while true {
            guard let sizeLine = try lineOrNilAtEOF(into: &raw, what: "chunk size line") else {
                return (body, false, TestHTTPHeaders())
            }
            let size = try parseChunkSize(sizeLine)
            if size == 0 {
                let trailers = try readFields(into: &raw, what: "trailer fields")
                return (body, true, trailers)
            }
            while source.unread.count < size + 2 {
                if try source.fill(waitingFor: "chunk data") == .endOfStream {
                    body.append(contentsOf: source.take(min(size, source.unread.count)))
                    return (body, false, TestHTTPHeaders())
                }
            }
            body.append(contentsOf: source.take(size))
            let terminator = source.take(2)
            guard terminator == [UInt8(ascii: "\r"), UInt8(ascii: "\n")] else {
                throw RawHTTPError.malformed("chunk data not followed by CRLF: \(Self.show(terminator))")
            }
        }
    }

    private func lineOrNilAtEOF(into raw: inout [UInt8], what: String) throws -> [UInt8]? {
        while source.firstLineFeed() == nil {
            if try source.fill(waitingFor: what) == .endOfStream { return nil }
        }
        return try readLine(into: &raw, what: what)
    }

    /// 1*HEXDIG, then optional `;extension`. No sign, no whitespace before the size, no empty size.
    private func parseChunkSize(_ line: [UInt8]) throws -> Int {
        let sizePart = line.prefix { $0 != UInt8(ascii: ";") }
        var digits = Array(sizePart)
        // Whitespace (BWS) may only appear before an extension's ";".
        if sizePart.count < line.count {
            while digits.last == UInt8(ascii: " ") || digits.last == UInt8(ascii: "\t") { digits.removeLast() }
        }
        guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy(Self.isHexDigit),
              let size = Int(String(decoding: digits, as: UTF8.self), radix: 16)
        else {
            throw RawHTTPError.malformed("bad chunk size line: \(Self.show(line))")
        }
        return size
    }

    // MARK: - Bytes

    static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }

    /// RFC 9110 tchar.
    static func isTokenByte(_ byte: UInt8) -> Bool {
        if isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) { return true }
        return Array("!#$%&'*+-.^_`|~".utf8).contains(byte)
    }

    /// UTF-8 when valid, else ISO-8859-1 (each byte one scalar), so obs-text is never lost.
    static func decodeValue<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return text }
        return String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
    }

    static func show<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> String {
        String(decoding: bytes.prefix(200), as: UTF8.self).debugDescription
    }
}
