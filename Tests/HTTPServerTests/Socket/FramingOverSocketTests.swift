import Foundation
import Testing
import TestSupport

/// Request smuggling defences over a real socket (operations.md OPS-59a..e): each bad head gets its
/// status and the connection is closed; nothing after it is ever answered.
@Suite("Request framing over sockets")
struct FramingOverSocketTests {
    static let cases: [(name: String, request: String, status: Int)] = [
        ("OPS-59a CL and TE", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
        ("OPS-59b differing CL", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 44\r\nContent-Length: 0\r\n\r\n", 400),
        ("OPS-59b CL +5", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: +5\r\n\r\nhello", 400),
        ("OPS-59b CL -1", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n", 400),
        ("OPS-59b CL 0x10", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 0x10\r\n\r\n", 400),
        ("OPS-59b CL 5.0", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5.0\r\n\r\n", 400),
        ("OPS-59b CL 1e3", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 1e3\r\n\r\n", 400),
        ("OPS-59b CL 5, 6", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 6\r\n\r\nhello!", 400),
        ("OPS-59c TE gzip, chunked", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 501),
        ("OPS-59c TE identity", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: identity\r\n\r\n", 501),
        ("OPS-59c TE chunked, chunked", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, chunked\r\n\r\n", 501),
        ("OPS-59d bare LF", "GET / HTTP/1.1\nHost: t\n\n", 400),
        ("OPS-59d bare LF in a header line", "GET / HTTP/1.1\r\nHost: t\nX-A: b\r\n\r\n", 400),
        ("OPS-59d space before colon", "GET / HTTP/1.1\r\nHost : t\r\n\r\n", 400),
        ("OPS-59e obs-fold", "GET / HTTP/1.1\r\nHost: t\r\nX-Long: a\r\n  continued\r\n\r\n", 400),
        ("missing Host on 1.1", "GET / HTTP/1.1\r\nX-A: b\r\n\r\n", 400),
        ("invalid Host (RFC 9112 §3.2)", "GET / HTTP/1.1\r\nHost: a b\r\n\r\n", 400),
        ("Host with a path", "GET / HTTP/1.1\r\nHost: x/y\r\n\r\n", 400),
        ("Host with a non-numeric port", "GET / HTTP/1.1\r\nHost: h:abc\r\n\r\n", 400),
        ("unknown expectation", "GET / HTTP/1.1\r\nHost: t\r\nExpect: foo\r\n\r\n", 417),
        ("100-continue with another expectation", "POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue, foo\r\n\r\n", 417),
        ("HTTP/2.0", "GET / HTTP/2.0\r\nHost: t\r\n\r\n", 505),
        ("bad chunk size", "POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n+5\r\nhello\r\n0\r\n\r\n", 400),
    ]

    @Test("each bad head: its status, then close, and the request smuggled behind it is never answered",
          arguments: cases.map(\.name))
    func rejected(_ name: String) throws {
        let testCase = try #require(Self.cases.first { $0.name == name })
        let server = try InProcessServer()
        let client = try server.client(timeout: 5)
        try client.send(testCase.request + "GET /request-id HTTP/1.1\r\nHost: t\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == testCase.status, "\(name)")
        #expect(response.headers.values("Connection") == ["close"])
        #expect(client.isClosedByPeer(within: 3))
    }

    @Test("OPS-40: a head refused for its framing answers with the client's X-Request-Id when it came before the fault")
    func refusedHeadKeepsRequestID() throws {
        let server = try InProcessServer()
        let heads = [
            "POST /echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: rid-1\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: rid-1\r\nTransfer-Encoding: gzip\r\n\r\n",
            "GET / HTTP/1.1\r\nx-request-id: rid-1\r\nHost : t\r\n\r\n",
            "GET / HTTP/1.1\r\nX-Request-Id: rid-1\r\nX-Long: a\r\n  continued\r\n\r\n",
        ]
        for head in heads {
            let client = try server.client(timeout: 5)
            try client.send(head)
            let response = try client.readResponse()
            #expect(response.status >= 400)
            #expect(response.headers["X-Request-Id"] == "rid-1", "\(head.debugDescription)")
        }
        // An invalid offered id is replaced, as for any request.
        let client = try server.client(timeout: 5)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nX-Request-Id: not valid!\r\nTransfer-Encoding: gzip\r\n\r\n")
        let id = try #require(try client.readResponse().headers["X-Request-Id"])
        #expect(id.count == 32 && id.allSatisfy(\.isHexDigit))
    }

    @Test("valid Host forms and an empty Expect are accepted")
    func acceptedHeads() throws {
        let server = try InProcessServer()
        let client = try server.client()
        for host in ["", "example.org", "EXAMPLE.org:8080", "127.0.0.1:1", "[::1]:8080", "[2001:db8::1]", "a-b_c.d~e%41"] {
            try client.send("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(try client.readResponse().status == 200, "Host: \(host)")
        }
        try client.send("GET / HTTP/1.1\r\nHost: t\r\nExpect:\r\n\r\n")
        #expect(try client.readResponse().status == 200, "an empty Expect lists no expectation")
    }

    @Test("OPS-59b: identical repeated Content-Length values are one value")
    func identicalContentLengths() throws {
        let server = try InProcessServer()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5, 5\r\n\r\nhello")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "hello")
    }
}
