import Foundation
import HTTPServer
import Testing
import TestSupport

/// The HTTP/1.1 connection over real sockets: persistence, pipelining, bodies, HEAD, gzip, ids.
@Suite("HTTP connection behaviour over sockets")
struct ConnectionBehaviourTests {
    @Test("keep-alive: several requests on one connection")
    func keepAlive() throws {
        let server = try InProcessServer()
        let client = try server.client()
        for index in 0..<5 {
            let response = try client.request(method: "POST", path: "/echo", body: "request \(index)")
            #expect(response.status == 200)
            #expect(response.text == "request \(index)")
            #expect(!response.headers.contains("Connection"))
        }
    }

    @Test("Connection: keep-alive, close (the Go workers) means close (OPS-59)")
    func keepAliveAndCloseMeansClose() throws {
        let server = try InProcessServer()
        let client = try server.client()
        let response = try client.request(method: "GET", path: "/", headers: [("Connection", "keep-alive, close")])
        #expect(response.status == 200)
        #expect(response.headers.values("Connection") == ["close"])
        #expect(client.isClosedByPeer(within: 2))
    }

    @Test("HTTP/1.0 closes unless keep-alive is asked for")
    func http10() throws {
        let server = try InProcessServer()
        let client = try server.client()
        try client.send("GET / HTTP/1.0\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.status == 200)
        #expect(first.version == "HTTP/1.1")  // RFC 9110 §6.2: the server's own version
        #expect(client.isClosedByPeer(within: 2))
        let second = try server.client()
        try second.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try second.readResponse().headers.values("Connection") == ["keep-alive"])
        try second.send("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        #expect(try second.readResponse().status == 200)
    }

    @Test("OPS-59f: pipelined requests are answered in order, each completely")
    func pipelining() throws {
        let server = try InProcessServer()
        let host = "Host: t\r\n"
        let clean = try server.client()
        // The first request is the slowest, so answering in completion order would be visible.
        try clean.send("GET /slow?ms=200 HTTP/1.1\r\n\(host)\r\n"
                       + "POST /echo HTTP/1.1\r\n\(host)Content-Length: 6\r\n\r\nsecond"
                       + "GET /slow?ms=1 HTTP/1.1\r\n\(host)\r\n")
        let first = try clean.readResponse()
        let second = try clean.readResponse()
        let third = try clean.readResponse()
        #expect(first.text == "slept 200\n")
        #expect(second.text == "second")
        #expect(third.text == "slept 1\n")
    }

    @Test("a client that resets while its pipelined input waits behind a slow response is dropped at once")
    func resetWhileReadingIsPaused() throws {
        let server = try InProcessServer()
        let client = try server.client()
        // More pipelined input than the connection buffers behind a request in progress
        // (MAX_HEADER_BYTES + 64 KiB): reading pauses, so the loop no longer reads this socket.
        var pipelined = "GET /slow?ms=3000 HTTP/1.1\r\nHost: t\r\n\r\n"
        while pipelined.utf8.count < 160 * 1024 { pipelined += "GET / HTTP/1.1\r\nHost: t\r\n\r\n" }
        try client.send(pipelined)
        usleep(300_000)
        #expect(server.server.openConnections == 1)
        client.reset()
        // The reset is an EPOLLHUP/EPOLLERR that cannot be masked: it must close the connection now,
        // not spin the loop until the slow response fails to be written 3 s later.
        let deadline = Date().addingTimeInterval(1)
        while server.server.openConnections > 0 && Date() < deadline { usleep(10_000) }
        #expect(server.server.openConnections == 0)
    }

    @Test("chunked request bodies are decoded")
    func chunkedRequestBody() throws {
        let server = try InProcessServer()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nTrailer: x\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 200)
        #expect(response.text == "hello, world")
        // The connection is still usable afterwards.
        #expect(try client.request(method: "GET", path: "/").status == 200)
    }

    @Test("a body arriving in pieces is assembled")
    func bodyInPieces() throws {
        let server = try InProcessServer()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n01234")
        usleep(100_000)
        try client.send("56789")
        #expect(try client.readResponse().text == "0123456789")
    }

    @Test("HEAD: the GET headers without a body")
    func head() throws {
        let server = try InProcessServer()
        let client = try server.client()
        let get = try client.request(method: "GET", path: "/big")
        let head = try client.request(method: "HEAD", path: "/big")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers.values("Content-Length") == get.headers.values("Content-Length"))
        #expect(head.headers.values("Content-Type") == get.headers.values("Content-Type"))
        #expect(try client.request(method: "GET", path: "/").status == 200)
    }

    @Test("OPS-60: gzip when accepted, for compressible bodies of 1 KiB or more")
    func gzip() throws {
        let server = try InProcessServer()
        let client = try server.client()
        let plain = try client.request(method: "GET", path: "/big")
        let compressed = try client.request(method: "GET", path: "/big", headers: [("Accept-Encoding", "gzip")])
        #expect(compressed.headers.values("Content-Encoding") == ["gzip"])
        #expect(compressed.headers.values("Vary") == ["Accept-Encoding"])
        #expect(compressed.body.count < plain.body.count)
        #expect(try compressed.gunzippedBody() == plain.body)
        let refused = try client.request(method: "GET", path: "/big", headers: [("Accept-Encoding", "gzip;q=0")])
        #expect(!refused.headers.contains("Content-Encoding"))
        // OPS-60: only a listed gzip; `*` does not list it.
        let wildcard = try client.request(method: "GET", path: "/big", headers: [("Accept-Encoding", "*")])
        #expect(!wildcard.headers.contains("Content-Encoding"))
        let listed = try client.request(method: "GET", path: "/big", headers: [("Accept-Encoding", "br;q=1, gzip;q=0.5")])
        #expect(listed.headers["Content-Encoding"] == "gzip")
        let small = try client.request(method: "GET", path: "/", headers: [("Accept-Encoding", "gzip")])
        #expect(!small.headers.contains("Content-Encoding"))
    }

    @Test("streamed responses are chunked, and gzip-encoded incrementally when accepted")
    func streaming() throws {
        let server = try InProcessServer()
        let client = try server.client()
        let response = try client.request(method: "GET", path: "/stream?chunks=50")
        #expect(response.headers.values("Transfer-Encoding") == ["chunked"])
        #expect(response.chunkedComplete == true)
        #expect(response.text.split(separator: "\n").count == 50)
        let compressed = try client.request(method: "GET", path: "/stream?chunks=50", headers: [("Accept-Encoding", "gzip")])
        #expect(compressed.headers.values("Content-Encoding") == ["gzip"])
        #expect(try compressed.gunzippedBody() == response.body)
    }

    @Test("a client reading a trickle does not hold a streaming producer: it ends within the write-stall time")
    func slowReaderEndsTheStream() throws {
        let server = try InProcessServer { configuration in
            configuration.writeStallTimeoutSeconds = 1
            configuration.outputHighWaterBytes = 16 * 1024
        }
        // 512 bytes every 200 ms: too slow to free the socket buffers within a second, so either the
        // connection's write-stall limit or the producer's own wait for room ends the stream.
        let client = try StreamingHTTPClient(port: server.port, receiveBufferBytes: 4096, timeout: 5)
        try client.get("/endless", headers: [])
        #expect(try client.readHead().status == 200)
        // The producer's end is its access-log line; the bytes already in the socket buffers still
        // drain to the client at its pace, with no worker behind them.
        let deadline = Date().addingTimeInterval(20)
        var producerEnded = false
        while Date() < deadline, !producerEnded {
            _ = try client.readSome(max: 512)
            Thread.sleep(forTimeInterval: 0.2)
            producerEnded = server.log().contains("/endless")
        }
        #expect(producerEnded, "the producer ended although the client kept reading")
        let other = try server.client()
        #expect(try other.request(method: "GET", path: "/").status == 200)
    }

    @Test("OPS-59f: a request refused before its body is read keeps the connection when the body is small")
    func refusedRequestWithABodyKeepsThePipeline() throws {
        let server = try InProcessServer()
        let client = try server.client()
        // A refused POST with a 2-byte body, a chunked one, then a GET, all sent at once.
        try client.send("POST /missing HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\n{}"
                        + "PUT /missing HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n"
                        + "GET /request-id HTTP/1.1\r\nHost: t\r\nX-Request-Id: third\r\n\r\n")
        let first = try client.readResponse()
        #expect(first.status == 404 && !first.headers.values("Connection").contains("close"))
        #expect(try client.readResponse().status == 404)
        let third = try client.readResponse()
        #expect(third.status == 200 && third.text == "third")
        // A chunked body past the drain limit still gets the refusal itself, then the close.
        let chunked = try server.client()
        let chunk = String(repeating: "x", count: 70 * 1024)
        try chunked.send("POST /missing HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                         + String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n0\r\n\r\n")
        let overLimit = try chunked.readResponse()
        #expect(overLimit.status == 404 && overLimit.headers.values("Connection") == ["close"])
        // A large body (within the body limit) is not waited for: the answer closes the connection.
        let large = try server.client()
        try large.send("POST /missing HTTP/1.1\r\nHost: t\r\nContent-Length: 500000\r\n\r\n")
        let refused = try large.readResponse()
        #expect(refused.status == 404 && refused.headers.values("Connection") == ["close"])
        // One over the body limit is a 413 before routing (OPS-51, DOM-96b), whatever the path.
        let tooLarge = try server.client()
        try tooLarge.send("POST /missing HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n")
        let limited = try tooLarge.readResponse()
        #expect(limited.status == 413 && limited.headers.values("Connection") == ["close"])
    }

    @Test("no stream outlives streamMaxSeconds, however fast its client reads")
    func streamsHaveATotalDeadline() throws {
        let server = try InProcessServer { configuration in configuration.streamMaxSeconds = 1 }
        let client = try StreamingHTTPClient(port: server.port, timeout: 5)
        try client.get("/endless", headers: [])
        #expect(try client.readHead().status == 200)
        let started = Date()
        var received = 0
        while Date().timeIntervalSince(started) < 20 {
            let bytes = try client.readSome()
            if bytes.isEmpty { break }  // the server cut the transfer
            received += bytes.count
        }
        #expect(Date().timeIntervalSince(started) < 10, "cut after about a second, not left running")
        #expect(received > 0)
        #expect(server.logEventuallyContains("/endless", seconds: 5))
    }

    @Test("OPS-40: a well-formed X-Request-Id is kept, anything else replaced by 32 hex digits, and logged")
    func requestIDs() throws {
        let server = try InProcessServer()
        let client = try server.client()
        let kept = try client.request(method: "GET", path: "/request-id", headers: [("X-Request-Id", "abc.DEF_123-x")])
        #expect(kept.text == "abc.DEF_123-x")
        #expect(kept.headers.values("X-Request-Id") == ["abc.DEF_123-x"])
        for bad in ["has space", String(repeating: "a", count: 129), "semi;colon"] {
            let replaced = try client.request(method: "GET", path: "/request-id", headers: [("X-Request-Id", bad)])
            let id = replaced.text
            #expect(id.count == 32 && id.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            #expect(replaced.headers.values("X-Request-Id") == [id])
        }
        #expect(server.logEventuallyContains("\"request_id\":\"abc.DEF_123-x\""))
    }

    @Test("API-7: a method implemented nowhere is a 501")
    func unknownMethod() throws {
        let server = try InProcessServer()
        for method in ["BREW", "OPTIONS", "TRACE"] {
            let response = try server.client().request(method: method, path: "/")
            #expect(response.status == 501)
        }
        // CONNECT in its usual authority-form too.
        let client = try server.client()
        try client.send("CONNECT registry.example.org:443 HTTP/1.1\r\nHost: registry.example.org:443\r\n\r\n")
        #expect(try client.readResponse().status == 501)
        // Before routing, so before the body limit of routes too (OPS-51's 413 is for methods
        // that exist).
        let large = try server.client()
        try large.send("BREW /missing HTTP/1.1\r\nHost: t\r\nContent-Length: 10000000\r\n\r\n")
        #expect(try large.readResponse().status == 501)
    }
}
