import HTTPServer
import Testing

/// A head the parser must accept, with everything it must report.
struct ValidHeadRow: Sendable, CustomTestStringConvertible {
    let name: String
    let raw: [UInt8]
    let method: HTTPMethod
    let target: String
    let version: HTTPVersion
    let fields: [HTTPHeaders.Field]
    let framing: BodyFraming
    /// Bytes of `raw` that belong to the head; the rest is body or the next request.
    let consumed: Int

    init(_ name: String, _ raw: [UInt8], _ method: HTTPMethod, _ target: String, _ version: HTTPVersion = .http1_1,
         fields: [HTTPHeaders.Field], framing: BodyFraming = .none, trailing: Int = 0) {
        self.name = name
        self.raw = raw
        self.method = method
        self.target = target
        self.version = version
        self.fields = fields
        self.framing = framing
        self.consumed = raw.count - trailing
    }

    init(_ name: String, _ raw: String, _ method: HTTPMethod, _ target: String, _ version: HTTPVersion = .http1_1,
         fields: [HTTPHeaders.Field], framing: BodyFraming = .none, trailing: Int = 0) {
        self.init(name, bytes(raw), method, target, version, fields: fields, framing: framing, trailing: trailing)
    }

    var testDescription: String { name }
}

let validHeadRows: [ValidHeadRow] = [
    ValidHeadRow("origin-form with query", "GET /api/v2/items?limit=10&x=%2F HTTP/1.1\r\nHost: registry\r\n\r\n",
                 .get, "/api/v2/items?limit=10&x=%2F", fields: [field("Host", "registry")]),
    ValidHeadRow("leading empty lines are skipped (RFC 9112 §2.2)", "\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n",
                 .get, "/", fields: [field("Host", "a")]),
    ValidHeadRow("HTTP/1.0 without Host", "GET /x HTTP/1.0\r\n\r\n", .get, "/x", .http1_0, fields: []),
    ValidHeadRow("HTTP/1.2 read as HTTP/1.1 (RFC 9110 §2.5)", "GET /x HTTP/1.2\r\nHost: h\r\n\r\n", .get, "/x", .http1_1,
                 fields: [field("Host", "h")]),
    ValidHeadRow("absolute-form reduced to origin-form", "GET http://example.org:8080/a/b?c=d HTTP/1.1\r\nHost: example.org\r\n\r\n",
                 .get, "/a/b?c=d", fields: [field("Host", "example.org")]),
    ValidHeadRow("absolute-form without path", "GET http://example.org HTTP/1.1\r\nHost: h\r\n\r\n",
                 .get, "/", fields: [field("Host", "h")]),
    ValidHeadRow("absolute-form with query only", "GET http://h?q=1 HTTP/1.1\r\nHost: h\r\n\r\n",
                 .get, "/?q=1", fields: [field("Host", "h")]),
    ValidHeadRow("absolute-form https, scheme in upper case", "DELETE HTTPS://h/api/x HTTP/1.1\r\nHost: h\r\n\r\n",
                 .delete, "/api/x", fields: [field("Host", "h")]),
    ValidHeadRow("asterisk-form with OPTIONS", "OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n",
                 .other("OPTIONS"), "*", fields: [field("Host", "h")]),
    ValidHeadRow("CONNECT in authority-form, answered 501 later (API-7)", "CONNECT h:443 HTTP/1.1\r\nHost: h\r\n\r\n",
                 .other("CONNECT"), "*", fields: [field("Host", "h")]),
    ValidHeadRow("an invented method with any target, answered 501 later (API-7)", "BREW pot:80 HTTP/1.1\r\nHost: h\r\n\r\n",
                 .other("BREW"), "*", fields: [field("Host", "h")]),
    ValidHeadRow("OPS-59b: a plain decimal above Int64.max saturates (413 by the body limit, OPS-51)",
                 "PUT /b HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775808\r\n\r\n",
                 .put, "/b", fields: [field("Host", "h"), field("Content-Length", "9223372036854775808")],
                 framing: .contentLength(Int.max)),
    ValidHeadRow("unknown method is a token, answered 501 later", "BREW /pot HTTP/1.1\r\nHost: h\r\n\r\n",
                 .other("BREW"), "/pot", fields: [field("Host", "h")]),
    ValidHeadRow("methods are case-sensitive", "get / HTTP/1.1\r\nHost: h\r\n\r\n",
                 .other("get"), "/", fields: [field("Host", "h")]),
    ValidHeadRow("Content-Length; body not consumed", "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
                 .post, "/b", fields: [field("Host", "h"), field("Content-Length", "5")], framing: .contentLength(5), trailing: 5),
    ValidHeadRow("OPS-59b: Content-Length 5, 5 is one length", "PUT /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5, 5\r\n\r\n",
                 .put, "/b", fields: [field("Host", "h"), field("Content-Length", "5, 5")], framing: .contentLength(5)),
    ValidHeadRow("OPS-59b: two identical Content-Length fields", "PUT /b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\ncontent-length: 5\r\n\r\n",
                 .put, "/b", fields: [field("Host", "h"), field("Content-Length", "5"), field("content-length", "5")],
                 framing: .contentLength(5)),
    ValidHeadRow("Content-Length 0", "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
                 .post, "/b", fields: [field("Host", "h"), field("Content-Length", "0")], framing: .contentLength(0)),
    ValidHeadRow("Content-Length with leading zeros", "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 007\r\n\r\n",
                 .post, "/b", fields: [field("Host", "h"), field("Content-Length", "007")], framing: .contentLength(7)),
    ValidHeadRow("Content-Length Int64.max", "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 9223372036854775807\r\n\r\n",
                 .post, "/b", fields: [field("Host", "h"), field("Content-Length", "9223372036854775807")],
                 framing: .contentLength(Int.max)),
    ValidHeadRow("Transfer-Encoding chunked", "POST /b HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                 .post, "/b", fields: [field("Host", "h"), field("Transfer-Encoding", "chunked")], framing: .chunked, trailing: 5),
    ValidHeadRow("Transfer-Encoding Chunked: case-insensitive, OWS trimmed", "POST /b HTTP/1.1\r\nHost: h\r\ntransfer-encoding: \tChunked \r\n\r\n",
                 .post, "/b", fields: [field("Host", "h"), field("transfer-encoding", "Chunked")], framing: .chunked),
    ValidHeadRow("values trimmed of OWS, inner whitespace kept", "GET / HTTP/1.1\r\nHost:h\r\nX-A: \t v a\tl \t \r\n\r\n",
                 .get, "/", fields: [field("Host", "h"), field("X-A", "v a\tl")]),
    ValidHeadRow("empty value", "GET / HTTP/1.1\r\nHost: h\r\nX-Empty:\r\nX-Blank:   \r\n\r\n",
                 .get, "/", fields: [field("Host", "h"), field("X-Empty", ""), field("X-Blank", "")]),
    ValidHeadRow("field names keep their case", "GET / HTTP/1.1\r\nhOsT: h\r\nX-Request-ID: abc\r\n\r\n",
                 .get, "/", fields: [field("hOsT", "h"), field("X-Request-ID", "abc")]),
    ValidHeadRow("every tchar in a field name", "GET / HTTP/1.1\r\nHost: h\r\nX-!#$%&'*+-.^_`|~09az: v\r\n\r\n",
                 .get, "/", fields: [field("Host", "h"), field("X-!#$%&'*+-.^_`|~09az", "v")]),
    ValidHeadRow("colons inside a value", "GET / HTTP/1.1\r\nHost: h:8080\r\nX-Time: 12:30:00\r\n\r\n",
                 .get, "/", fields: [field("Host", "h:8080"), field("X-Time", "12:30:00")]),
    ValidHeadRow("duplicate fields kept in order", "GET / HTTP/1.1\r\nHost: h\r\nAccept: a\r\nAccept: b\r\n\r\n",
                 .get, "/", fields: [field("Host", "h"), field("Accept", "a"), field("Accept", "b")]),
    ValidHeadRow("UTF-8 obs-text in a value", "GET / HTTP/1.1\r\nHost: h\r\nX-Name: café\r\n\r\n",
                 .get, "/", fields: [field("Host", "h"), field("X-Name", "café")]),
    ValidHeadRow("invalid UTF-8 in a value becomes U+FFFD",
                 bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Latin1: caf") + [0xE9] + bytes("\r\n\r\n"),
                 .get, "/", fields: [field("Host", "h"), field("X-Latin1", "caf\u{FFFD}")]),
    ValidHeadRow("OPS-59f: pipelined request after the head is not consumed",
                 "GET /1 HTTP/1.1\r\nHost: h\r\n\r\nGET /2 HTTP/1.1\r\nHost: h\r\n\r\n",
                 .get, "/1", fields: [field("Host", "h")], trailing: bytes("GET /2 HTTP/1.1\r\nHost: h\r\n\r\n").count),
    ValidHeadRow("HTTP/1.0 with Connection keep-alive", "HEAD /x HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
                 .head, "/x", .http1_0, fields: [field("Connection", "keep-alive")]),
    ValidHeadRow("PATCH with Content-Length split over two fields", "PATCH /p HTTP/1.1\r\nHost: h\r\nContent-Length: 3,3\r\nContent-Length: 3\r\n\r\n",
                 .patch, "/p", fields: [field("Host", "h"), field("Content-Length", "3,3"), field("Content-Length", "3")],
                 framing: .contentLength(3)),
]

@Suite("RequestHeadParser: valid heads")
struct ParserTestsValidHeads {
    @Test("valid head parses to the expected fields", arguments: validHeadRows)
    func parsesValidHead(_ row: ValidHeadRow) throws {
        let result = parseOneShot(row.raw)
        let head = try #require(result.head, "\(describe(result))")
        #expect(head.method == row.method)
        #expect(head.target == row.target)
        #expect(head.version == row.version)
        #expect(head.headers.fields == row.fields)
        #expect(head.framing == row.framing)
        #expect(result.consumed == row.consumed)
    }

    @Test("byte-at-a-time feeding equals one-shot parsing", arguments: validHeadRows)
    func byteAtATimeEqualsOneShot(_ row: ValidHeadRow) {
        let oneShot = parseOneShot(row.raw)
        let trickled = parseByteAtATime(row.raw)
        #expect(describe(trickled.result) == describe(oneShot))
        #expect(trickled.result.head != nil)
    }

    @Test("header lookups are case-insensitive")
    func lookupIgnoresCase() throws {
        let result = parseOneShot(bytes("GET / HTTP/1.1\r\nhOsT: h\r\ncontent-LENGTH: 2\r\n\r\n"))
        let head = try #require(result.head)
        #expect(head.headers["Host"] == "h")
        #expect(head.headers["content-length"] == "2")
        #expect(head.path == "/")
    }
}
