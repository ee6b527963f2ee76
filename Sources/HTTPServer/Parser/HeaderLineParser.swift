/// Parses one header line `field-name ":" OWS field-value OWS` (RFC 9112 §5), without its CRLF.
enum HeaderLineParser {
    /// `line` is not empty. Errors carry no request path; the head parser adds it.
    static func parse(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> HTTPHeaders.Field {
        let count = line.count
        // OPS-59e: obs-fold. Also covers whitespace between the request line and the first field.
        guard !HTTPByte.isWhitespace(line[0]) else {
            throw .badRequest("obsolete line folding in header")
        }

        var nameEnd = 0
        while nameEnd < count, HTTPByte.isTokenChar(line[nameEnd]) { nameEnd += 1 }
        guard nameEnd < count, line[nameEnd] == HTTPByte.colon else {
            // OPS-59d: `Host : x` must not be read as `Host`.
            if nameEnd < count, HTTPByte.isWhitespace(line[nameEnd]) {
                throw .badRequest("whitespace between header name and colon")
            }
            throw .badRequest("invalid character in header name")
        }
        guard nameEnd > 0 else { throw .badRequest("empty header name") }

        var valueStart = nameEnd + 1
        var valueEnd = count
        while valueStart < valueEnd, HTTPByte.isWhitespace(line[valueStart]) { valueStart += 1 }
        while valueEnd > valueStart, HTTPByte.isWhitespace(line[valueEnd - 1]) { valueEnd -= 1 }
        for index in valueStart..<valueEnd where !HTTPByte.isFieldValueByte(line[index]) {
            throw .badRequest("invalid character in header value")
        }

        // Bytes ≥ 0x80 (obs-text) are decoded as UTF-8; invalid sequences become U+FFFD. Nothing
        // in the registry reads non-ASCII request headers, and a String must be valid Unicode.
        let name = String(decoding: UnsafeRawBufferPointer(rebasing: line[0..<nameEnd]), as: UTF8.self)
        let value = String(decoding: UnsafeRawBufferPointer(rebasing: line[valueStart..<valueEnd]), as: UTF8.self)
        return HTTPHeaders.Field(name: name, value: value)
    }
}
