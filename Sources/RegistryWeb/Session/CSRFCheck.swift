import CryptoSupport
import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// html.md WEB-15: a POST must carry the right `csrf_token` and must not come from another origin.
enum CSRFCheck {
    static let failureMessage = "Invalid or missing form token."

    /// True when `presented` (the form field) equals `expected` (the session's token or the
    /// double-submit cookie), compared in constant time, and any `Origin` header is our own.
    static func passes(presented: String?, expected: String?, request: HTTPRequest, publicBaseURL: String?) -> Bool {
        guard originIsOurs(request, publicBaseURL: publicBaseURL),
              let presented, let expected, !presented.isEmpty, !expected.isEmpty
        else { return false }
        return ConstantTime.equals(presented, expected)
    }

    /// An absent `Origin` is accepted (older browsers send none on same-origin posts; the token
    /// still has to match); any other value must be the server's origin, compared as RFC 6454 does:
    /// scheme and host case-insensitively, a default port (80 for http, 443 for https) the same as
    /// none, so `PUBLIC_BASE_URL=https://Registry.example.org:443` accepts a browser's
    /// `https://registry.example.org`.
    private static func originIsOurs(_ request: HTTPRequest, publicBaseURL: String?) -> Bool {
        guard let origin = request.headers["Origin"] else { return true }
        return comparable(origin) == comparable(serverOrigin(request, publicBaseURL: publicBaseURL))
    }

    /// `scheme://authority` lower-cased, without the scheme's default port.
    static func comparable(_ origin: String) -> String {
        let lowered = origin.lowercased()
        for (scheme, port) in [("http://", ":80"), ("https://", ":443")]
        where lowered.hasPrefix(scheme) && lowered.hasSuffix(port) {
            return String(lowered.dropLast(port.count))
        }
        return lowered
    }

    /// `scheme://host[:port]` of `PUBLIC_BASE_URL`, or of the request (scheme + `Host`).
    static func serverOrigin(_ request: HTTPRequest, publicBaseURL: String?) -> String {
        if let base = publicBaseURL, let origin = origin(ofURL: base) { return origin }
        return request.context.scheme + "://" + (request.headers["Host"] ?? "")
    }

    /// `scheme://authority` of an absolute URL (what an `Origin` header holds), or nil.
    static func origin(ofURL url: String) -> String? {
        let parts = url.split(separator: "/", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count >= 3, parts[0].hasSuffix(":"), parts[1].isEmpty, !parts[2].isEmpty else { return nil }
        return "\(parts[0])//\(parts[2])"
    }
}
