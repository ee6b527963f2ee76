/// Incremental parser for one request head. Keeps how far it has scanned, so a head trickled in one
/// byte at a time costs O(n) in total, not O(n²) (FlyingFox's header parsing was quadratic).
///
/// The connection owns the bytes: it appends what it reads to its buffer and calls `parse` with
/// all unconsumed bytes, starting at this request, after each read. The parser stores offsets, never
/// pointers, so the buffer may move between calls. Each completed line is turned into Strings once;
/// nothing is re-scanned. A result other than `.incomplete` is final: further calls return it
/// again until `reset()`.
public struct RequestHeadParser: Sendable {
    public let limits: HeadLimits

    /// Bytes examined by the scanning loop since the last reset. Exposed so tests can check that
    /// byte-at-a-time feeding stays linear without timing anything.
    public private(set) var bytesScanned = 0

    /// Next offset to examine; every byte before it belongs to a line already handled.
    private var scanOffset = 0
    /// Offset where the line being scanned starts.
    private var lineStart = 0
    /// Nil while leading empty lines are skipped and the request line is not complete.
    private var requestLine: RequestLine?
    private var fields: [HTTPHeaders.Field] = []
    private var outcome: HeadParseResult?

    public init(limits: HeadLimits = HeadLimits()) {
        self.limits = limits
    }

    /// Forgets the previous request; call before parsing the next one on the connection.
    public mutating func reset() {
        self = RequestHeadParser(limits: limits)
    }

    /// `bytes` = all unconsumed bytes of the connection, starting at the beginning of this request.
    /// Called again with the same prefix plus more bytes after each read. Bytes after the head
    /// (body, pipelined requests) are never consumed.
    public mutating func parse(_ bytes: UnsafeRawBufferPointer) -> HeadParseResult {
        if let outcome { return outcome }
        let result: HeadParseResult
        do throws(HTTPParseError) {
            guard let (head, consumed) = try scan(bytes) else { return .incomplete }
            result = .complete(head, consumed: consumed)
        } catch {
            result = .failure(error)
        }
        outcome = result
        return result
    }

    /// Scans from `scanOffset` to the end of the bytes or the head limit, handling each line as
    /// its CRLF arrives. Returns the head once the empty line that ends it has been seen.
    private mutating func scan(_ bytes: UnsafeRawBufferPointer) throws(HTTPParseError) -> (RequestHead, Int)? {
        // Nothing past the limit is looked at: a longer head is refused whatever it contains.
        let window = min(bytes.count, limits.maxHeadBytes)
        var position = scanOffset
        while position < window {
            bytesScanned += 1
            let byte = bytes[position]
            if byte == HTTPByte.cr {
                // The LF may not have arrived yet: stop on the CR and look at it again next call.
                guard position + 1 < window else { break }
                guard bytes[position + 1] == HTTPByte.lf else { throw failure(400, "CR not followed by LF") }
                let lineEnd = position + 2
                let line = UnsafeRawBufferPointer(rebasing: bytes[lineStart..<position])
                if let head = try handleLine(line) { return (head, lineEnd) }
                lineStart = lineEnd
                position = lineEnd
                continue
            }
            // OPS-59d: refused while scanning, not when the limit is reached.
            if byte == HTTPByte.lf {
                // A request line ended by a bare LF was still read completely: its path decides the
                // error's shape (OPS-58: JSON under /api/), as for any later line.
                if requestLine == nil, lineStart < position,
                   let line = try? RequestLineParser.parse(UnsafeRawBufferPointer(rebasing: bytes[lineStart..<position])) {
                    throw HTTPParseError(status: 400, message: "line ended by a bare LF", requestPath: line.path)
                }
                throw failure(400, "line ended by a bare LF")
            }
            // Controls (NUL, DEL...) are never valid in a head; finer checks run per line.
            if !HTTPByte.isFieldValueByte(byte) { throw failure(400, "control character in request head") }
            position += 1
        }
        scanOffset = position
        // OPS-50: the byte at index maxHeadBytes exists and the head has not ended before it.
        if bytes.count > limits.maxHeadBytes { throw failure(431, "request head too large") }
        return nil
    }

    /// Handles one line without its CRLF. Returns the head when `line` is the empty line that ends it.
    private mutating func handleLine(_ line: UnsafeRawBufferPointer) throws(HTTPParseError) -> RequestHead? {
        guard let requestLine else {
            // RFC 9112 §2.2: empty lines before the request line are skipped.
            if !line.isEmpty { requestLine = try RequestLineParser.parse(line) }
            return nil
        }
        if line.isEmpty {
            let headers = HTTPHeaders(fields)
            let framing = try withRequestPath { () throws(HTTPParseError) in
                try HeadSemantics.validate(version: requestLine.version, headers: headers)
            }
            return RequestHead(method: requestLine.method, target: requestLine.target,
                               version: requestLine.version, headers: headers, framing: framing)
        }
        guard fields.count < limits.maxHeaderCount else { throw failure(431, "too many header fields") }
        let field = try withRequestPath { () throws(HTTPParseError) in try HeaderLineParser.parse(line) }
        fields.append(field)
        return nil
    }

    /// The path of the request line, once it has been read completely (for the shape of an error
    /// that ends the request later, e.g. the header timeout's 408, OPS-58).
    public var requestPath: String? { requestLine?.path }

    /// The method of the request line, once it has been read completely (for the access log).
    public var requestMethod: HTTPMethod? { requestLine?.method }

    /// The `X-Request-Id` among the header fields read so far (for an error that ends the request
    /// before its head is complete: OPS-40 returns the client's id on every response).
    public var offeredRequestID: String? {
        fields.first { HTTPHeaders.namesEqual($0.name, "X-Request-Id") }?.value
    }

    private func failure(_ status: Int, _ message: String) -> HTTPParseError {
        HTTPParseError(status: status, message: message, requestPath: requestLine?.path, offeredRequestID: offeredRequestID,
                       requestMethod: requestLine?.method)
    }

    /// Runs a check that knows nothing of the request line and adds the path to its error.
    private func withRequestPath<T>(_ body: () throws(HTTPParseError) -> T) throws(HTTPParseError) -> T {
        do throws(HTTPParseError) {
            return try body()
        } catch {
            throw failure(error.status, error.message)
        }
    }
}
