/// Where a streamed response body goes. Implemented by the connection; used on a worker thread.
/// `write` blocks while the connection's output is above its high-water mark (back-pressure) and
/// throws once the client is gone or the server cuts the stream off, so a producer stops reading
/// rows as soon as nobody listens (auditor.md AUD-15).
public protocol ResponseBodyWriter: AnyObject {
    func write(_ bytes: [UInt8]) throws

    /// True once the client is gone (its connection broke or it closed it while the response was
    /// streaming). A producer blocked in a slow database read can poll this to cancel the read
    /// instead of noticing only at its next write (auditor.md AUD-15).
    var isClientGone: Bool { get }
}
