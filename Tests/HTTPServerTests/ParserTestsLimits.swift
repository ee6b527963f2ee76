import HTTPServer
import Testing

/// A head of exactly `size` bytes: request line `GET /api/x HTTP/1.1`, Host, one padded field.
func headOfSize(_ size: Int) -> [UInt8] {
    let start = bytes("GET /api/x HTTP/1.1\r\nHost: h\r\nX-Pad: ")
    let end = bytes("\r\n\r\n")
    return start + [UInt8](repeating: UInt8(ascii: "a"), count: size - start.count - end.count) + end
}

/// A head with `count` fields in all (Host plus `count - 1` others).
func headWithFields(_ count: Int) -> [UInt8] {
    var text = "GET /api/x HTTP/1.1\r\nHost: h\r\n"
    for index in 1..<count { text += "X-\(index): v\r\n" }
    return bytes(text + "\r\n")
}

let limitVariants: [HeadLimits] = [HeadLimits(), HeadLimits(maxHeadBytes: 100, maxHeaderCount: 4)]

extension HeadLimits: CustomTestStringConvertible {
    public var testDescription: String { "maxHeadBytes \(maxHeadBytes), maxHeaderCount \(maxHeaderCount)" }
}

@Suite("RequestHeadParser: limits (OPS-50)")
struct ParserTestsLimits {
    @Test("OPS-50: a head of exactly maxHeadBytes is accepted", arguments: limitVariants)
    func headAtLimitAccepted(_ limits: HeadLimits) {
        let raw = headOfSize(limits.maxHeadBytes)
        #expect(parseOneShot(raw, limits: limits).consumed == limits.maxHeadBytes)
        #expect(parseByteAtATime(raw, limits: limits).result.consumed == limits.maxHeadBytes)
    }

    @Test("OPS-50: a head of maxHeadBytes + 1 is 431, with the path for OPS-58", arguments: limitVariants)
    func headOverLimitRefused(_ limits: HeadLimits) throws {
        let raw = headOfSize(limits.maxHeadBytes + 1)
        let error = try #require(parseOneShot(raw, limits: limits).error)
        #expect(error.status == 431)
        #expect(error.requestPath == "/api/x")
        #expect(describe(parseByteAtATime(raw, limits: limits).result) == describe(.failure(error)))
    }

    @Test("OPS-50: 431 as soon as the limit is exceeded, before the head ends", arguments: limitVariants)
    func refusedAsSoonAsExceeded(_ limits: HeadLimits) throws {
        let unfinished = Array(headOfSize(limits.maxHeadBytes * 2).prefix(limits.maxHeadBytes + 1))
        #expect(parseOneShot(Array(unfinished.dropLast()), limits: limits).isIncomplete)
        #expect(parseOneShot(unfinished, limits: limits).error?.status == 431)
    }

    @Test("OPS-50, OPS-58: a request line longer than the limit is 431 without a path", arguments: limitVariants)
    func longRequestLineHasNoPath(_ limits: HeadLimits) throws {
        let raw = bytes("GET /") + [UInt8](repeating: UInt8(ascii: "a"), count: limits.maxHeadBytes) + bytes(" HTTP/1.1\r\n")
        let error = try #require(parseOneShot(raw, limits: limits).error)
        #expect(error.status == 431)
        #expect(error.requestPath == nil)
    }

    @Test("the final CRLF straddling the limit is 431, not a wait for more bytes")
    func crlfStraddlingLimit() throws {
        let limits = HeadLimits(maxHeadBytes: 100)
        let raw = headOfSize(101)  // its last LF is the byte at index 100
        #expect(raw[99] == UInt8(ascii: "\r"))
        #expect(parseOneShot(Array(raw.prefix(100)), limits: limits).isIncomplete)
        #expect(parseOneShot(raw, limits: limits).error?.status == 431)
    }

    @Test("skipped leading empty lines count toward the limit, so CRLF floods are bounded")
    func leadingEmptyLinesCount() throws {
        let limits = HeadLimits(maxHeadBytes: 100)
        #expect(parseOneShot(bytes("\r\n") + headOfSize(98), limits: limits).consumed == 100)
        #expect(parseOneShot(bytes("\r\n") + headOfSize(99), limits: limits).error?.status == 431)
        let flood = Array(repeating: bytes("\r\n"), count: 51).flatMap { $0 }
        let error = try #require(parseOneShot(flood, limits: limits).error)
        #expect(error.status == 431)
        #expect(error.requestPath == nil)
    }

    @Test("OPS-50: maxHeaderCount fields are accepted, one more is 431", arguments: limitVariants)
    func headerCountLimit(_ limits: HeadLimits) throws {
        // A generous byte limit so only the count can trip.
        let roomy = HeadLimits(maxHeadBytes: 1 << 20, maxHeaderCount: limits.maxHeaderCount)
        let atLimit = parseOneShot(headWithFields(limits.maxHeaderCount), limits: roomy)
        #expect(atLimit.head?.headers.count == limits.maxHeaderCount)
        let error = try #require(parseOneShot(headWithFields(limits.maxHeaderCount + 1), limits: roomy).error)
        #expect(error.status == 431)
        #expect(error.requestPath == "/api/x")
    }

    @Test("a 32 KiB head fed one byte at a time is scanned in linear time", arguments: [false, true])
    func byteAtATimeIsLinear(shortLines: Bool) throws {
        // One long field, or about 3,000 short lines (each line end is a point where a quadratic
        // parser would start over).
        var raw = headOfSize(32_768)
        var limits = HeadLimits()
        if shortLines {
            var text = "GET /api/x HTTP/1.1\r\nHost: h\r\n"
            while text.utf8.count < 32_700 { text += "X-\(text.utf8.count): v\r\n" }
            raw = bytes(text + "\r\n")
            limits.maxHeaderCount = 10_000
        }
        var parser = RequestHeadParser(limits: limits)
        var result = HeadParseResult.incomplete
        // One buffer and growing prefixes: copying per call would make the test itself quadratic.
        raw.withUnsafeBytes { buffer in
            for end in 1...buffer.count where result.isIncomplete {
                result = parser.parse(UnsafeRawBufferPointer(rebasing: buffer[0..<end]))
            }
        }
        #expect(result.consumed == raw.count, "\(describe(result))")
        // Each byte once, plus one re-examination per CR that arrived before its LF.
        #expect(parser.bytesScanned <= 2 * raw.count, "scanned \(parser.bytesScanned) bytes for \(raw.count)")

        var oneShot = RequestHeadParser(limits: limits)
        _ = raw.withUnsafeBytes { oneShot.parse($0) }
        #expect(oneShot.bytesScanned <= raw.count)
    }
}
