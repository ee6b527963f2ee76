import Foundation
import HTTPServer
import Testing
import TestSupport

/// Limits and timeouts of operations.md §8, and `Expect: 100-continue`, over real sockets.
@Suite("HTTP limits and timeouts over sockets")
struct LimitsOverSocketTests {
    @Test("OPS-50: a head over MAX_HEADER_BYTES is a 431, then close")
    func headerTooLarge() throws {
        let server = try InProcessServer { $0.maxHeaderBytes = 4096 }
        let client = try server.client()
        try client.send("GET / HTTP/1.1\r\nHost: t\r\nX-Big: \(String(repeating: "a", count: 5000))\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 431)
        #expect(client.isClosedByPeer(within: 3))
    }

    @Test("OPS-51: Content-Length over the route's limit is a 413 before the body is read")
    func bodyTooLargeByLength() throws {
        let server = try InProcessServer()
        let client = try server.client()
        try client.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 5000\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(client.isClosedByPeer(within: 3))
        // A plain decimal too large for any integer is still valid framing (OPS-59b): a 413 too.
        let huge = try server.client()
        try huge.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 123456789012345678901234567890\r\n\r\n")
        #expect(try huge.readResponse().status == 413)
    }

    @Test("OPS-51: a chunked body is cut with 413 as soon as it exceeds the limit")
    func bodyTooLargeChunked() throws {
        let server = try InProcessServer()
        let client = try server.client()
        let chunk = String(repeating: "x", count: 600)
        try client.send("POST /small HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n")
        #expect(try client.readResponse().status == 413)
    }

    @Test("100-continue: answered only after the checks pass, then the body is read")
    func expectContinue() throws {
        let server = try InProcessServer()
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        let interim = try client.readInterimOrFinal()
        #expect(interim.status == 100)
        try client.send("hello")
        let final = try client.readResponse()
        #expect(final.status == 200)
        #expect(final.text == "hello")
    }

    @Test("100-continue: a refused preflight or a too-large length is answered without 100 Continue")
    func expectContinueRefused() throws {
        let server = try InProcessServer()
        let guarded = try server.client()
        try guarded.send("POST /guarded HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
        #expect(try guarded.readInterimOrFinal().status == 401)
        let large = try server.client()
        try large.send("POST /small HTTP/1.1\r\nHost: t\r\nContent-Length: 999999\r\nExpect: 100-continue\r\n\r\n")
        #expect(try large.readInterimOrFinal().status == 413)
    }

    @Test("OPS-52: a head trickled slower than the deadline is cut at HEADER_READ_TIMEOUT_S in total (slowloris)")
    func slowloris() throws {
        let server = try InProcessServer { $0.headerReadTimeoutSeconds = 2 }
        let client = try server.client(timeout: 10)
        let started = Date()
        try client.send("GET / HTTP/1.1\r\n")
        // One header byte every 400 ms: every single read is well within any per-read timeout.
        for byte in "X-Slow: abcdefgh".utf8 {
            usleep(400_000)
            guard (try? client.send([byte])) != nil, Date().timeIntervalSince(started) < 3 else { break }
        }
        let response = try client.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        #expect(response.status == 408)
        #expect(elapsed >= 1.9 && elapsed < 3.5, "cut after \(elapsed) s")
    }

    @Test("RFC 9112 §2.2, OPS-54: a CRLF after a request leaves the connection idle, not reading a head (no 408)")
    func strayCRLFKeepsTheConnectionIdle() throws {
        let server = try InProcessServer { $0.headerReadTimeoutSeconds = 1 }
        let client = try server.client(timeout: 10)
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2\r\n\r\nhi\r\n")
        #expect(try client.readResponse().status == 200)
        usleep(2_000_000)  // twice the head deadline, well within the idle limit
        try client.send("GET /request-id HTTP/1.1\r\nHost: t\r\n\r\n")
        #expect(try client.readResponse().status == 200)
    }

    @Test("OPS-52: a new connection that sends nothing gets a 408 at HEADER_READ_TIMEOUT_S, then is closed")
    func silentConnection() throws {
        let server = try InProcessServer { $0.headerReadTimeoutSeconds = 1 }
        let client = try server.client(timeout: 10)
        let started = Date()
        let response = try client.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        #expect(response.status == 408)
        #expect(elapsed >= 0.9 && elapsed < 3, "answered after \(elapsed) s")
        #expect(client.isClosedByPeer(within: 3))
    }

    @Test("OPS-52: the first head's time counts from the connection's opening, not from its first byte")
    func waitingBeforeTheFirstByteCounts() throws {
        let server = try InProcessServer { $0.headerReadTimeoutSeconds = 2 }
        let client = try server.client(timeout: 10)
        let started = Date()
        usleep(1_500_000)
        try client.send("GET / HTTP/1.1\r\n")
        let response = try client.readResponse()
        let elapsed = Date().timeIntervalSince(started)
        #expect(response.status == 408)
        #expect(elapsed >= 1.9 && elapsed < 3.2, "cut after \(elapsed) s")
    }

    @Test("OPS-40: a body-limit 413 answered by the HTTP layer keeps the client's X-Request-Id")
    func errorKeepsTheRequestID() throws {
        let server = try InProcessServer()
        let client = try server.client()
        try client.send("POST /small HTTP/1.1\r\nHost: t\r\nX-Request-Id: client-chosen-42\r\nContent-Length: 999999\r\n\r\n")
        let response = try client.readResponse()
        #expect(response.status == 413)
        #expect(response.headers["X-Request-Id"] == "client-chosen-42")
    }

    @Test("OPS-53: a body that stalls is cut with 408")
    func bodyStall() throws {
        let server = try InProcessServer { $0.bodyReadTimeoutSeconds = 1 }
        let client = try server.client()
        try client.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\n12345")
        let response = try client.readResponse()
        #expect(response.status == 408)
        #expect(client.isClosedByPeer(within: 3))
    }

    @Test("OPS-54: an idle keep-alive connection is closed silently after IDLE_TIMEOUT_S")
    func idleTimeout() throws {
        let server = try InProcessServer { $0.idleTimeoutSeconds = 1 }
        let client = try server.client()
        #expect(try client.request(method: "GET", path: "/").status == 200)
        #expect(client.isClosedByPeer(within: 3))
        #expect(client.unreadBytes.isEmpty)
    }

    @Test("OPS-55: the connection over MAX_CONNECTIONS gets 503 with Retry-After: 1")
    func maxConnections() throws {
        let server = try InProcessServer { $0.maxConnections = 2 }
        let first = try server.client()
        let second = try server.client()
        #expect(try first.request(method: "GET", path: "/").status == 200)
        #expect(try second.request(method: "GET", path: "/").status == 200)
        let third = try server.client()
        let response = try third.readResponse()
        #expect(response.status == 503)
        #expect(response.headers.values("Retry-After") == ["1"])
        #expect(response.headers.values("Connection") == ["close"])
        first.close()
        usleep(300_000)
        #expect(try server.client().request(method: "GET", path: "/").status == 200)
    }

    @Test("overload: beyond maxQueuedRequests waiting for a worker, a request gets 503 + Retry-After at once")
    func boundedWorkerQueue() throws {
        let server = try InProcessServer { $0.workerThreads = 1; $0.maxQueuedRequests = 1 }
        let busy = try server.client()
        let queued = try server.client()
        try busy.send("GET /slow?ms=1500 HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(200_000)
        try queued.send("GET /slow?ms=10 HTTP/1.1\r\nHost: t\r\n\r\n")
        usleep(200_000)
        let started = Date()
        let refused = try server.client().request(method: "GET", path: "/slow?ms=10")
        #expect(refused.status == 503)
        #expect(refused.headers.values("Retry-After") == ["1"])
        #expect(Date().timeIntervalSince(started) < 1)
        #expect(try busy.readResponse().status == 200)
        #expect(try queued.readResponse().status == 200)
    }
}
