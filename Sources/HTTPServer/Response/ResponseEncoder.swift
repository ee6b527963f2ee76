/// Turns a responder's `HTTPResponse` into the bytes of the status line and header block, and
/// decides the body coding. Runs on the worker thread, so the event loop only copies bytes.
struct ResponseEncoder {
    let dateCache: DateCache

    /// The decided shape of one response on the wire.
    struct Framing {
        var sendBody: Bool
        var gzip: Bool
        var chunked: Bool
        var close: Bool
    }

    /// Decides framing for a response to `head` (nil when the request line was never parsed).
    func framing(for response: HTTPResponse, head: RequestHead?, forceClose: Bool) -> Framing {
        let method = head?.method
        let bodyAllowed = !(response.status == 204 || response.status == 304 || response.status < 200)
        let sendBody = bodyAllowed && method != .head
        let close = forceClose || !(head?.keepAlive ?? false)
            || HTTPHeaders.namesEqual(response.headers["Connection"] ?? "", "close")
        var gzip = false
        if bodyAllowed, let head, ContentNegotiation.acceptsGzip(head.headers),
           response.headers["Content-Encoding"] == nil,
           ContentNegotiation.isCompressible(contentType: response.headers["Content-Type"]) {
            switch response.body {
            case .bytes(let bytes): gzip = bytes.count >= 1024
            case .stream: gzip = true
            case .empty: gzip = false
            }
        }
        var chunked = false
        if case .stream = response.body {
            // HTTP/1.0 has no chunked coding: the body then ends when the connection closes.
            chunked = head?.version != .http1_0
        }
        let closeForHTTP10Stream: Bool = { if case .stream = response.body, !chunked { return true }; return false }()
        return Framing(sendBody: sendBody, gzip: gzip, chunked: chunked, close: close || closeForHTTP10Stream)
    }

    /// Status line and headers. `contentLength` is nil for streamed bodies.
    ///
    /// The status line always says HTTP/1.1, also to an HTTP/1.0 request: RFC 9110 §6.2 asks for
    /// the highest version the server conforms to within the request's major version. (What an
    /// HTTP/1.0 client may rely on, no chunking and close unless keep-alive, is in `framing`; a
    /// kept-alive HTTP/1.0 connection is confirmed with `Connection: keep-alive`.)
    func encodeHead(_ response: HTTPResponse, framing: Framing, contentLength: Int?, requestID: String?,
                    version: HTTPVersion?) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + response.headers.count * 48)
        append("HTTP/1.1 ", to: &out)
        out.append(contentsOf: String(response.status).utf8)
        out.append(0x20)
        out.append(contentsOf: HTTPStatus.reasonPhrase(response.status).utf8)
        append("\r\nDate: ", to: &out)
        out.append(contentsOf: dateCache.current())
        // Every field is written as CRLF + field, so the block ends with one CRLF CRLF below.
        for field in response.headers where !Self.isManaged(field.name) {
            append("\r\n", to: &out)
            out.append(contentsOf: field.name.utf8)
            append(": ", to: &out)
            appendFieldValue(field.value, to: &out)
        }
        if let requestID {
            append("\r\nX-Request-Id: ", to: &out)
            out.append(contentsOf: requestID.utf8)
        }
        let bodyAllowed = !(response.status == 204 || response.status == 304 || response.status < 200)
        if framing.gzip {
            append("\r\nContent-Encoding: gzip\r\nVary: Accept-Encoding", to: &out)
        }
        if bodyAllowed {
            if let contentLength {
                append("\r\nContent-Length: ", to: &out)
                out.append(contentsOf: String(contentLength).utf8)
            } else if framing.chunked {
                append("\r\nTransfer-Encoding: chunked", to: &out)
            }
        }
        if response.status >= 200 {
            if framing.close {
                append("\r\nConnection: close", to: &out)
            } else if version == .http1_0 {
                append("\r\nConnection: keep-alive", to: &out)
            }
        }
        append("\r\n\r\n", to: &out)
        return out
    }

    /// Headers the server writes itself; a responder's values for them are ignored.
    private static func isManaged(_ name: String) -> Bool {
        for managed in ["Date", "Content-Length", "Transfer-Encoding", "Connection", "X-Request-Id"]
        where HTTPHeaders.namesEqual(name, managed) {
            return true
        }
        return false
    }

    /// A CR or LF in a value would let whoever controls it inject headers (response splitting), so
    /// control characters other than HTAB are written as spaces.
    private func appendFieldValue(_ value: String, to out: inout [UInt8]) {
        for byte in value.utf8 {
            out.append(byte < 0x20 && byte != 0x09 || byte == 0x7F ? 0x20 : byte)
        }
    }

    private func append(_ text: StaticString, to out: inout [UInt8]) {
        text.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}
