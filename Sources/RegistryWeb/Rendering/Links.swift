import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Paths of the HTML view. Identifiers are percent-encoded (every byte except `A–Z a–z 0–9 - _ . ~`,
/// html.md), so `/` inside an identifier stays inside its segment (API-1).
enum Links {
    static func object(_ identifier: String) -> String { "/objects/" + PercentEncoding.encode(identifier) }
    static func file(_ identifier: String) -> String { "/files/" + PercentEncoding.encode(identifier) }
    static func event(_ identifier: String) -> String { "/events/" + PercentEncoding.encode(identifier) }
    static func item(_ id: Int64) -> String { "/items/\(id)" }
    static func user(_ id: Int64) -> String { "/users/\(id)" }
    static func deletion(_ id: Int64) -> String { "/deletions/\(id)" }
    static func institution(_ identifier: String) -> String { "/institutions/" + PercentEncoding.encode(identifier) }

    /// The institution's page when `caller` may open it (admins any, others their own); nil
    /// otherwise, so a consortia record of another institution names it without a link to a 404.
    static func institution(_ identifier: String?, for caller: Caller) -> String? {
        guard let identifier, caller.isAdmin || identifier == caller.institutionIdentifier else { return nil }
        return institution(identifier)
    }

    /// `path?name=value&…` with each name and value percent-encoded.
    static func with(_ path: String, _ parameters: [(String, String)]) -> String {
        guard !parameters.isEmpty else { return path }
        return path + "?" + parameters.map { PercentEncoding.encode($0.0) + "=" + PercentEncoding.encode($0.1) }
            .joined(separator: "&")
    }
}
