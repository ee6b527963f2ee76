import HTTPServer
import Testing

@Suite("RequestHeadParser: incremental use on a connection buffer")
struct ParserTestsIncremental {
    @Test("OPS-59f: pipelined requests parse one after the other after reset")
    func pipelinedRequests() throws {
        let first = bytes("POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n")
        let second = bytes("\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n")
        var buffer = first + bytes("abc") + second
        var parser = RequestHeadParser()

        let head1 = buffer.withUnsafeBytes { parser.parse($0) }
        #expect(head1.head?.target == "/a")
        #expect(head1.consumed == first.count)
        // The connection drops the head and the 3-byte body, then parses the next request.
        buffer.removeFirst(first.count + 3)
        parser.reset()
        let head2 = buffer.withUnsafeBytes { parser.parse($0) }
        #expect(head2.head?.target == "/b")
        #expect(head2.consumed == second.count)
    }

    @Test("a complete result is final until reset")
    func completeIsFinal() {
        var parser = RequestHeadParser()
        let raw = bytes("GET /a HTTP/1.1\r\nHost: h\r\n\r\nGET /b")
        let first = raw.withUnsafeBytes { parser.parse($0) }
        let again = raw.withUnsafeBytes { parser.parse($0) }
        #expect(first.head?.target == "/a")
        #expect(describe(again) == describe(first))
    }

    @Test("no bytes, or only part of a line, is incomplete",
          arguments: ["", "\r\n", "GET", "GET / HTTP/1.1\r", "GET / HTTP/1.1\r\nHost: h\r\n", "GET / HTTP/1.1\r\nHost: h\r\n\r"])
    func partialIsIncomplete(_ text: String) {
        #expect(parseOneShot(bytes(text)).isIncomplete)
    }

    @Test("every two-part split equals one-shot parsing", arguments: validHeadRows)
    func everySplitEqualsOneShot(_ row: ValidHeadRow) {
        let expected = describe(parseOneShot(row.raw))
        for split in 0...row.raw.count {
            var parser = RequestHeadParser()
            let part = Array(row.raw.prefix(split))
            var result = part.withUnsafeBytes { parser.parse($0) }
            if result.isIncomplete { result = row.raw.withUnsafeBytes { parser.parse($0) } }
            #expect(describe(result) == expected, "split at \(split)")
        }
    }
}
