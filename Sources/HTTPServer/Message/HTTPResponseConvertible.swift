/// An error that knows the response it should become. A streaming producer throws one before its
/// first write (e.g. "database unavailable") to answer with a proper status instead of a 200.
public protocol HTTPResponseConvertible: Error {
    var httpResponse: HTTPResponse { get }
}
