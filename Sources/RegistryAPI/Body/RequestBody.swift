import Formats
import HTTPServer
import RegistryCore

/// Reading JSON request bodies (api-v2.md API-20..23). Called by handlers after `authorize()`,
/// because body problems come after visibility and permission (DOM-96b step 4).
extension APICall {
    /// The record of an object body: the value of `wrapper` when the top level has that key with an
    /// object value (all other keys ignored), else the whole top-level object (API-23). nil for an
    /// empty body on a route that accepts one (API-21).
    public func recordBody(wrapper: String?) throws(RegistryError) -> JSONObject? {
        guard let value = try parsedBody() else { return nil }
        guard case .object(let object) = value else {
            throw .badRequest("malformed JSON: expected an object at the top level")
        }
        if let wrapper, case .object(let inner)? = object[wrapper] { return inner }
        return object
    }

    /// A bare top-level array (`create_batch`, API-23).
    public func arrayBody() throws(RegistryError) -> [JSONValue] {
        guard let value = try parsedBody() else { throw .badRequest("request body is required") }
        guard case .array(let elements) = value else {
            throw .badRequest("malformed JSON: expected an array at the top level")
        }
        return elements
    }

    /// Content type and encoding checks, emptiness, syntax.
    private func parsedBody() throws(RegistryError) -> JSONValue? {
        let headers = request.headers
        // Every field line and every listed coding counts (RFC 9110 §8.4: a repeated field is one
        // list): `identity` followed by a second `Content-Encoding: gzip` is a gzip body.
        for field in headers.values("Content-Encoding") {
            for coding in field.split(separator: ",") {
                let encoding = coding.trimmingASCIIWhitespace().lowercased()
                if !encoding.isEmpty, encoding != "identity" {
                    throw .unsupportedMediaType("unsupported content encoding: \(encoding)")
                }
            }
        }
        for contentType in headers.values("Content-Type") {
            let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
            guard mediaType == "application/json" else {
                throw .unsupportedMediaType("unsupported content type: \(contentType); use application/json")
            }
        }
        if request.body.isEmpty {
            if route.emptyBodyAllowed { return nil }
            throw .badRequest("request body is required")
        }
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw .badRequest("malformed JSON: \(error.description)")
        }
    }
}
