/// What `RequestHeadParser.parse` found in the bytes it was given.
public enum HeadParseResult: Sendable {
    /// The head is not complete yet; call again when more bytes have arrived.
    case incomplete
    /// A valid head. `consumed` counts its bytes (skipped leading empty lines, request line,
    /// header lines and the final CRLF); the body or the next pipelined request starts there.
    case complete(RequestHead, consumed: Int)
    /// The request must be refused; the connection sends the error and closes.
    case failure(HTTPParseError)
}
