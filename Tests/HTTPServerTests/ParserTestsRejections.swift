import HTTPServer
import Testing

/// A head the parser must refuse, with the status and the path OPS-58 needs.
struct RejectedHeadRow: Sendable, CustomTestStringConvertible {
    let name: String
    let raw: [UInt8]
    let status: Int
    /// Expected `HTTPParseError.requestPath`: nil when the request line was not read completely.
    let requestPath: String?

    init(_ name: String, _ raw: [UInt8], _ status: Int, path: String?) {
        self.name = name
        self.raw = raw
        self.status = status
        self.requestPath = path
    }

    init(_ name: String, _ raw: String, _ status: Int, path: String?) {
        self.init(name, bytes(raw), status, path: path)
    }

    var testDescription: String { name }
}

/// `POST /api/x HTTP/1.1`, `Host: h`, then `fields` (each ending in CRLF), then the final CRLF.
func post(_ fields: String) -> String {
    "POST /api/x?q HTTP/1.1\r\nHost: h\r\n" + fields + "\r\n"
}

/// Input of Fuzz/regressions/harness-chunked-error-consumed.
let fuzzRegressionHarnessChunked: [UInt8] = bytes("0/a?b HTTP/1.0\r\nEConnection: ke") + [0xE3] + bytes("ep-qlive\r\n\r\n")

/// The smuggling corpus of server-lessons §1.3 and OPS-59a..e.
let smugglingRows: [RejectedHeadRow] = [
    RejectedHeadRow("OPS-59a: Content-Length and Transfer-Encoding", post("Content-Length: 5\r\nTransfer-Encoding: chunked\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59a: Transfer-Encoding first, then Content-Length", post("Transfer-Encoding: chunked\r\nContent-Length: 5\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59a: CL with an unsupported TE is still 400", post("Content-Length: 5\r\nTransfer-Encoding: gzip\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL 44 then CL 0 (FlyingFox last-wins)", post("Content-Length: 44\r\nContent-Length: 0\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL +5", post("Content-Length: +5\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL -1", post("Content-Length: -1\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL 0x10", post("Content-Length: 0x10\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL 5.0", post("Content-Length: 5.0\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL 1e3", post("Content-Length: 1e3\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL 5, 6", post("Content-Length: 5, 6\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL with a space inside", post("Content-Length: 5 5\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL empty", post("Content-Length:\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL with an empty list element", post("Content-Length: 5,\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59b: CL with non-ASCII digits", post("Content-Length: ５\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59c: TE gzip, chunked", post("Transfer-Encoding: gzip, chunked\r\n"), 501, path: "/api/x"),
    RejectedHeadRow("OPS-59c: TE identity", post("Transfer-Encoding: identity\r\n"), 501, path: "/api/x"),
    RejectedHeadRow("OPS-59c: TE chunked, chunked", post("Transfer-Encoding: chunked, chunked\r\n"), 501, path: "/api/x"),
    RejectedHeadRow("OPS-59c: two TE fields", post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), 501, path: "/api/x"),
    RejectedHeadRow("OPS-59c: TE chunked with a parameter", post("Transfer-Encoding: chunked;q=1\r\n"), 501, path: "/api/x"),
    RejectedHeadRow("OPS-59c: TE empty", post("Transfer-Encoding:\r\n"), 501, path: "/api/x"),
    RejectedHeadRow("OPS-59c: TE chunked with an empty list element", post("Transfer-Encoding: chunked,\r\n"), 501, path: "/api/x"),
    RejectedHeadRow("TE on HTTP/1.0", "POST /x HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n", 400, path: "/x"),
    RejectedHeadRow("OPS-59d: bare LF ends a header line", "GET /p HTTP/1.1\r\nHost: h\nX: y\r\n\r\n", 400, path: "/p"),
    // OPS-58: a request line ended by a bare LF was read completely; its path shapes the error.
    RejectedHeadRow("OPS-59d: bare LF ends the request line", "GET /p HTTP/1.1\nHost: h\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59d: bare LF ends the head", "GET /p HTTP/1.1\r\nHost: h\r\n\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59d: LF-only head", "GET /p HTTP/1.1\nHost: h\n\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59d: a broken request line ended by a bare LF", "GET /p\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("OPS-59d: bare LF as a leading empty line", "\nGET /p HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("OPS-59d: CR not followed by LF", "GET /p HTTP/1.1\r\nHost: h\r\nX: a\rb\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59d: Host : x", "GET /p HTTP/1.1\r\nHost : x\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59d: tab before the colon", "GET /p HTTP/1.1\r\nHost\t: x\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59d: whitespace before colon of Content-Length", post("Content-Length : 0\r\n"), 400, path: "/api/x"),
    RejectedHeadRow("OPS-59e: obs-fold with SP", "GET /p HTTP/1.1\r\nHost: h\r\nX: a\r\n b\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59e: obs-fold with HTAB", "GET /p HTTP/1.1\r\nHost: h\r\nX: a\r\n\tb\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("OPS-59e: whitespace before the first field", "GET /p HTTP/1.1\r\n Host: h\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("NUL in a value", "GET /p HTTP/1.1\r\nHost: h\r\nX: a\u{0}b\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("DEL in a value", "GET /p HTTP/1.1\r\nHost: h\r\nX: a\u{7F}b\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("control character 0x01 in a value", "GET /p HTTP/1.1\r\nHost: h\r\nX: a\u{1}\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("missing Host on HTTP/1.1", "GET /p HTTP/1.1\r\nAccept: */*\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("two Host fields", "GET /p HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("two Host fields on HTTP/1.0", "GET /p HTTP/1.0\r\nHost: a\r\nhost: a\r\n\r\n", 400, path: "/p"),
]

/// Request line and header line syntax.
let syntaxRows: [RejectedHeadRow] = [
    RejectedHeadRow("HTTP/2.0 → 505", "GET /api/x HTTP/2.0\r\nHost: h\r\n\r\n", 505, path: "/api/x"),
    RejectedHeadRow("HTTP/0.9 → 505", "GET /a HTTP/0.9\r\n\r\n", 505, path: "/a"),
    RejectedHeadRow("version in lower case", "GET /a http/1.1\r\nHost: h\r\n\r\n", 400, path: "/a"),
    RejectedHeadRow("version with two minor digits", "GET /a HTTP/1.10\r\nHost: h\r\n\r\n", 400, path: "/a"),
    RejectedHeadRow("version without minor", "GET /a HTTP/1\r\nHost: h\r\n\r\n", 400, path: "/a"),
    RejectedHeadRow("space after the version", "GET /a HTTP/1.1 \r\nHost: h\r\n\r\n", 400, path: "/a"),
    RejectedHeadRow("no version (HTTP/0.9 style)", "GET /a\r\n\r\n", 400, path: "/a"),
    RejectedHeadRow("two spaces after the method", "GET  /a HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("two spaces after the target", "GET /a  HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: "/a"),
    RejectedHeadRow("tab as separator", "GET\t/a HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("line starts with a space", " GET /a HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("method with a separator", "GE(T /a HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("method directly followed by the target", "GET/a HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    // The line is complete, so the path read up to the bad byte decides the body's shape (OPS-58).
    RejectedHeadRow("NUL in the target", "GET /a\u{0}b HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),  // refused by the line scanner
    RejectedHeadRow("byte 0x80 in the target", bytes("GET /api/v2/items") + [0x80] + bytes(" HTTP/1.1\r\nHost: h\r\n\r\n"), 400,
                    path: "/api/v2/items"),
    RejectedHeadRow("relative target", "GET a/b HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("authority-form with GET", "GET h:443 HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("asterisk-form without OPTIONS", "GET * HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("absolute-form without host", "GET http:///a HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("absolute-form with another scheme", "GET ftp://h/a HTTP/1.1\r\nHost: h\r\n\r\n", 400, path: nil),
    RejectedHeadRow("empty field name", "GET /p HTTP/1.1\r\nHost: h\r\n: v\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("separator in a field name", "GET /p HTTP/1.1\r\nHost: h\r\nX(a): v\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("space inside a field name", "GET /p HTTP/1.1\r\nHost: h\r\nX a: v\r\n\r\n", 400, path: "/p"),
    RejectedHeadRow("header line without colon", "GET /p HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400, path: "/p"),
    // Fuzz/regressions/harness-chunked-error-consumed (the crash was in the fuzz harness itself).
    RejectedHeadRow("fuzz regression: method directly followed by a path", fuzzRegressionHarnessChunked, 400, path: nil),
    RejectedHeadRow("non-ASCII byte in a field name", bytes("GET /p HTTP/1.1\r\nHost: h\r\nX") + [0xC3, 0xA9] + bytes(": v\r\n\r\n"), 400, path: "/p"),
]

@Suite("RequestHeadParser: refused heads")
struct ParserTestsRejections {
    @Test("smuggling corpus is refused (server-lessons §1.3, OPS-59a..e)", arguments: smugglingRows)
    func refusesSmuggling(_ row: RejectedHeadRow) throws {
        try expectRefused(row)
    }

    @Test("malformed request and header lines are refused", arguments: syntaxRows)
    func refusesSyntax(_ row: RejectedHeadRow) throws {
        try expectRefused(row)
    }

    @Test("byte-at-a-time feeding gives the same error", arguments: smugglingRows + syntaxRows)
    func byteAtATimeGivesSameError(_ row: RejectedHeadRow) {
        #expect(describe(parseByteAtATime(row.raw).result) == describe(parseOneShot(row.raw)))
    }

    @Test("OPS-59d: a bare LF is refused as soon as it is seen, without waiting for the limit")
    func bareLFRefusedAtOnce() throws {
        // No end of head yet, far below the limit: the error must not wait for more bytes.
        let error = try #require(parseOneShot(bytes("GET / HTTP/1.1\r\nHost: h\n")).error)
        #expect(error.status == 400)
    }

    @Test("a failure is final until reset")
    func failureIsFinal() throws {
        var parser = RequestHeadParser()
        let bad = bytes("GET / HTTP/1.1\nHost: h\r\n\r\n")
        let first = bad.withUnsafeBytes { parser.parse($0) }
        let good = bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n")
        let second = good.withUnsafeBytes { parser.parse($0) }
        #expect(first.error?.status == 400)
        #expect(describe(second) == describe(first))
        parser.reset()
        #expect(good.withUnsafeBytes { parser.parse($0) }.head != nil)
    }

    private func expectRefused(_ row: RejectedHeadRow) throws {
        let result = parseOneShot(row.raw)
        let error = try #require(result.error, "\(describe(result))")
        #expect(error.status == row.status)
        #expect(error.requestPath == row.requestPath)
        #expect(!error.message.isEmpty)
    }
}
