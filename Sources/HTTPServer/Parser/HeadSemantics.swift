/// The checks that need the whole head: body framing (RFC 9112 §6, OPS-59a..c) and Host (§3.2).
enum HeadSemantics {
    /// Returns the body framing or the error that refuses the request.
    static func validate(version: HTTPVersion, headers: HTTPHeaders) throws(HTTPParseError) -> BodyFraming {
        let framing = try bodyFraming(version: version, headers: headers)
        let hosts = headers.values("Host")
        if hosts.count > 1 { throw .badRequest("more than one Host header") }
        if hosts.isEmpty, version == .http1_1 { throw .badRequest("missing Host header") }
        if let host = hosts.first, !isValidHost(host) { throw .badRequest("invalid Host header") }
        return framing
    }

    /// RFC 9112 §3.2: `Host = uri-host [ ":" port ]` (empty allowed); anything else is a 400. The
    /// host is a reg-name (unreserved, pct-encoded, sub-delims), an IPv4 address (a reg-name by
    /// its characters) or a bracketed IP literal; the port is digits.
    static func isValidHost(_ value: String) -> Bool {
        var bytes = Substring(value).utf8[...]
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let literal = bytes[bytes.index(after: bytes.startIndex)..<close]
            guard !literal.isEmpty, literal.allSatisfy({ isIPLiteralByte($0) }) else { return false }
            bytes = bytes[bytes.index(after: close)...]
        } else {
            let end = bytes.firstIndex(of: UInt8(ascii: ":")) ?? bytes.endIndex
            guard bytes[..<end].allSatisfy({ isRegNameByte($0) }) else { return false }
            bytes = bytes[end...]
        }
        guard let colon = bytes.first else { return true }
        return colon == UInt8(ascii: ":") && bytes.dropFirst().allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func isRegNameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            // unreserved "-._~", "%" of pct-encoded, sub-delims "!$&'()*+,;="
            return "-._~%!$&'()*+,;=".utf8.contains(byte)
        }
    }

    /// IPv6 (hex digits, ":" and "." for an embedded IPv4) or IPvFuture ("v", hex, ".", and reg-name bytes).
    private static func isIPLiteralByte(_ byte: UInt8) -> Bool {
        isRegNameByte(byte) || byte == UInt8(ascii: ":")
    }

    static func bodyFraming(version: HTTPVersion, headers: HTTPHeaders) throws(HTTPParseError) -> BodyFraming {
        let lengths = headers.values("Content-Length")
        let codings = headers.values("Transfer-Encoding")
        // Order matters only between statuses: every smuggling shape is 400 before TE's 501.
        if !codings.isEmpty {
            if version == .http1_0 { throw .badRequest("Transfer-Encoding in an HTTP/1.0 request") }
            if !lengths.isEmpty { throw .badRequest("Content-Length and Transfer-Encoding both present") }
            guard codings.count == 1, isExactlyChunked(codings[0]) else {
                throw HTTPParseError(status: 501, message: "Transfer-Encoding other than chunked")
            }
            return .chunked
        }
        if lengths.isEmpty { return .none }
        return .contentLength(try contentLength(lengths))
    }

    /// Every comma-separated element of every field must be 1*DIGIT (a value beyond Int64 counts
    /// as `Int.max`, which no body limit admits: 413) and all must be equal (OPS-59b: `5, 5` is one length; `5, 6`, `+5`, `0x10`, `5.0`, `1e3` are refused).
    static func contentLength(_ values: [String]) throws(HTTPParseError) -> Int {
        var agreed: Int?
        for value in values {
            for element in value.utf8.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                let length = try decimal(trimmingWhitespace(element))
                if let agreed, agreed != length { throw .badRequest("conflicting Content-Length values") }
                agreed = length
            }
        }
        // `values` is non-empty and split yields at least one element, so `agreed` is set.
        guard let agreed else { throw .badRequest("invalid Content-Length") }
        return agreed
    }

    private static func decimal(_ digits: Substring.UTF8View) throws(HTTPParseError) -> Int {
        guard !digits.isEmpty else { throw .badRequest("invalid Content-Length") }
        var result = 0
        for byte in digits {
            guard byte >= 0x30, byte <= 0x39 else { throw .badRequest("invalid Content-Length") }
            let (shifted, overflow1) = result.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = shifted.addingReportingOverflow(Int(byte - 0x30))
            // A plain decimal beyond Int is valid framing (OPS-59b) for a body far over any limit:
            // saturate, and the body-size check answers 413 (OPS-51).
            guard !overflow1, !overflow2 else {
                result = Int.max
                continue
            }
            result = sum
        }
        return result
    }

    private static func isExactlyChunked(_ value: String) -> Bool {
        let trimmed = trimmingWhitespace(Substring(value).utf8)
        return trimmed.count == 7 && trimmed.elementsEqual("chunked".utf8) { HTTPByte.asciiLowercased($0) == $1 }
    }

    private static func trimmingWhitespace(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        var trimmed = bytes
        while let first = trimmed.first, HTTPByte.isWhitespace(first) { trimmed.removeFirst() }
        while let last = trimmed.last, HTTPByte.isWhitespace(last) { trimmed.removeLast() }
        return trimmed
    }
}
