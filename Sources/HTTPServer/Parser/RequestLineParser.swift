/// The three parts of a request line, already validated.
struct RequestLine: Sendable {
    var method: HTTPMethod
    /// Origin-form (`/path?query`) or `*`.
    var target: String
    var version: HTTPVersion
    /// `target` up to the first `?`: what `HTTPParseError.requestPath` reports.
    var path: String
}

/// Parses `method SP request-target SP HTTP-version` (RFC 9112 §3), without its CRLF.
enum RequestLineParser {
    static func parse(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> RequestLine {
        let count = line.count

        // Method: a token. Unknown tokens are fine here; the server answers them 501.
        var methodEnd = 0
        while methodEnd < count, HTTPByte.isTokenChar(line[methodEnd]) { methodEnd += 1 }
        guard methodEnd > 0 else { throw .badRequest("invalid method in request line") }
        guard methodEnd < count, line[methodEnd] == HTTPByte.space else {
            throw .badRequest("malformed request line")
        }
        let method = HTTPMethod(token: string(line, 0..<methodEnd))

        // Target: exactly one SP before it, visible ASCII only, one SP after it.
        let targetStart = methodEnd + 1
        var targetEnd = targetStart
        while targetEnd < count, line[targetEnd] != HTTPByte.space {
            guard HTTPByte.isVisible(line[targetEnd]) else {
                // The line is complete, so the path read so far decides the body's shape (OPS-58).
                throw HTTPParseError(status: 400, message: "invalid character in request target",
                                     requestPath: pathPrefix(line, targetStart..<targetEnd))
            }
            targetEnd += 1
        }
        guard targetEnd > targetStart else { throw .badRequest("malformed request line") }
        guard targetEnd < count else {
            throw HTTPParseError(status: 400, message: "missing HTTP version in request line",
                                 requestPath: pathPrefix(line, targetStart..<targetEnd))
        }
        let target = try RequestTargetParser.originForm(
            UnsafeRawBufferPointer(rebasing: line[targetStart..<targetEnd]), method: method)
        let path = String(target.prefix { $0 != "?" })

        // From here on the target is known, so errors carry the path (OPS-58).
        let versionBytes = UnsafeRawBufferPointer(rebasing: line[(targetEnd + 1)...])
        let version: HTTPVersion
        do throws(HTTPParseError) {
            version = try parseVersion(versionBytes)
        } catch {
            throw HTTPParseError(status: error.status, message: error.message, requestPath: path)
        }
        return RequestLine(method: method, target: target, version: version, path: path)
    }

    /// `HTTP/1.1` or `HTTP/1.0`; a later 1.x is read as 1.1 (RFC 9110 §2.5: a higher minor version
    /// of a major version the server implements is processed as its highest minor); another
    /// well-formed `HTTP/d.d` → 505; anything else → 400.
    private static func parseVersion(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPVersion {
        // "HTTP/" DIGIT "." DIGIT, case-sensitive (RFC 9112 §2.3).
        guard bytes.count == 8,
              bytes[0] == 0x48, bytes[1] == 0x54, bytes[2] == 0x54, bytes[3] == 0x50, bytes[4] == HTTPByte.slash,
              isDigit(bytes[5]), bytes[6] == 0x2E, isDigit(bytes[7])
        else { throw .badRequest("malformed HTTP version") }
        let version = HTTPVersion(major: Int(bytes[5] - 0x30), minor: Int(bytes[7] - 0x30))
        if version.major == 1 && version.minor > 1 { return .http1_1 }
        guard version == .http1_1 || version == .http1_0 else {
            throw HTTPParseError(status: 505, message: "HTTP version not supported")
        }
        return version
    }

    /// The target's bytes in `range` up to the first `?`.
    private static func pathPrefix(_ line: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(string(line, range).prefix { $0 != "?" })
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= 0x30 && byte <= 0x39
    }

    private static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }
}
