import Foundation
import TestSupport

/// Calls the API the way the Go workers do: API-key headers, `Accept-Encoding: gzip` (inflated
/// here, as Go's client does transparently), JSON bodies, percent-encoded identifiers.
struct WorkerClient {
    let registry: TestRegistry
    let credentials: TestRegistry.Credentials
    private let client: RawHTTPClient

    init(_ registry: TestRegistry, _ credentials: TestRegistry.Credentials) throws {
        self.registry = registry
        self.credentials = credentials
        self.client = try registry.client(receiveTimeout: 60)
    }

    struct Reply {
        let status: Int
        let headers: TestHTTPHeaders
        let json: [String: Any]

        var results: [[String: Any]] { json["results"] as? [[String: Any]] ?? [] }
        func int(_ key: String) -> Int? { (json[key] as? NSNumber)?.intValue }
    }

    func call(_ method: String, _ path: String, _ body: Any? = nil) throws -> Reply {
        var headers = credentials.headers + [("Accept-Encoding", "gzip"), ("Connection", "keep-alive")]
        var bytes: [UInt8]?
        if let body {
            headers.append(("Content-Type", "application/json"))
            bytes = Array(try JSONSerialization.data(withJSONObject: body))
        }
        let response = try client.request(method: method, path: path, headers: headers, body: bytes)
        let payload = response.headers.values("Content-Encoding") == ["gzip"] ? try response.gunzippedBody() : response.body
        let json = payload.isEmpty ? [:] : (try JSONSerialization.jsonObject(with: Data(payload)) as? [String: Any]) ?? [:]
        return Reply(status: response.status, headers: response.headers, json: json)
    }

    /// Percent-encodes every byte except `A–Z a–z 0–9 - _ . ~`, as the workers escape identifiers (API-1).
    static func escape(_ identifier: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        return identifier.unicodeScalars.map { scalar in
            scalar.isASCII && allowed.contains(scalar) ? String(scalar)
                : String(scalar).utf8.map { String(format: "%%%02X", $0) }.joined()
        }.joined()
    }
}
