import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Responses of the HTML view with the headers of html.md WEB-17.
enum WebResponse {
    static let htmlContentType = "text/html; charset=utf-8"
    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    /// An HTML document. Every page is `no-store`: signed-in pages must be (WEB-17), and the
    /// anonymous forms carry a per-browser CSRF value that no cache should keep either.
    static func html(_ status: Int, _ body: [UInt8]) -> HTTPResponse {
        var response = HTTPResponse(status: status, body: .bytes(body))
        response.headers.add("Content-Type", htmlContentType)
        response.headers.add("Cache-Control", "no-store")
        return response
    }

    /// 303 See Other (WEB-16: after a successful POST; WEB-10: to the login form).
    static func redirect(to location: String) -> HTTPResponse {
        var response = HTTPResponse(status: 303)
        response.headers.add("Location", location)
        response.headers.add("Cache-Control", "no-store")
        return response
    }

    /// WEB-17's security headers, added to every HTML-view response (pages, redirects, errors);
    /// HSTS only when the request arrived over https (directly or, with TRUST_PROXY, per
    /// X-Forwarded-Proto) or the public base URL is https.
    static func addSecurityHeaders(to response: inout HTTPResponse, https: Bool) {
        response.headers.set("Content-Security-Policy", contentSecurityPolicy)
        response.headers.set("X-Content-Type-Options", "nosniff")
        response.headers.set("Referrer-Policy", "same-origin")
        response.headers.set("X-Frame-Options", "DENY")
        if https { response.headers.set("Strict-Transport-Security", "max-age=31536000") }
    }
}
