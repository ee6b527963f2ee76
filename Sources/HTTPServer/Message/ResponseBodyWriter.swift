/// Where a streamed response body goes. Implemented by the connection; used on a worker thread.
/// `write` blocks while the connection's output is above its high-water mark (back-pressure) and
/// throws once the client is gone or the server cuts the stream off, so a producer stops reading
/// rows as soon as nobody listens (auditor.md AUD-15).
public protocol ResponseBodyWriter: AnyObject {
    func write(_ bytes: [UInt8]) throws
}
