/// Why `RawHTTPClient` could not produce a response. Protocol violations by the server are errors
/// on purpose: the client is the strict side of the tests.
public enum RawHTTPError: Error, CustomStringConvertible {
    /// Socket creation or connect failed.
    case connectFailed(String)
    /// Writing failed (e.g. EPIPE/ECONNRESET after the server closed); `errno` tells which.
    case sendFailed(errno: Int32, message: String)
    /// Nothing (more) arrived within the receive timeout; `received` is what was buffered.
    case timedOut(waitingFor: String, received: [UInt8])
    /// The peer closed before a complete response head arrived.
    case closedBeforeResponse(received: [UInt8])
    /// The peer reset the connection.
    case connectionReset(received: [UInt8])
    /// A Content-Length body ended early (the connection closed after `received.count` bytes).
    case truncatedBody(expected: Int, received: [UInt8])
    /// The response broke HTTP/1.1 syntax (bare LF, obs-fold, bad status line, conflicting framing…).
    case malformed(String)
    /// A gzip body did not decompress.
    case badGzip(String)

    public var description: String {
        switch self {
        case .connectFailed(let message): "connect failed: \(message)"
        case .sendFailed(let code, let message): "send failed (errno \(code)): \(message)"
        case .timedOut(let what, let received): "timed out waiting for \(what) after \(received.count) buffered bytes"
        case .closedBeforeResponse(let received): "connection closed before a response head (\(received.count) bytes received)"
        case .connectionReset(let received): "connection reset by peer (\(received.count) bytes received)"
        case .truncatedBody(let expected, let received): "body truncated: \(received.count) of \(expected) bytes"
        case .malformed(let message): "malformed response: \(message)"
        case .badGzip(let message): "bad gzip body: \(message)"
        }
    }
}
