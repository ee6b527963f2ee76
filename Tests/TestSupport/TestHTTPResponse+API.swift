import Foundation

/// Reading the API's JSON shapes (list envelope, error body) in tests.
extension TestHTTPResponse {
    /// `results` of a list envelope.
    public func results() throws -> [[String: Any]] {
        (try jsonObject()["results"] as? [[String: Any]]) ?? []
    }

    /// `identifier` of each result, in order.
    public func identifiers() throws -> [String] {
        try results().compactMap { $0["identifier"] as? String }
    }

    /// `message` of an error body.
    public var message: String? { (try? jsonObject())?["message"] as? String }

    /// `errors[field]` of a 422 body.
    public func fieldErrors(_ field: String) throws -> [String] {
        ((try jsonObject()["errors"] as? [String: Any])?[field] as? [String]) ?? []
    }
}
