import CryptoSupport
import Foundation

/// A minimal browser for the HTML view's tests: a cookie jar, form posts with the CSRF token the
/// pages carry, and nothing clever (no redirects are followed, so tests see every 303).
public final class WebBrowser {
    public let registry: TestRegistry
    /// Cookies by name, as the server last set them (a `Max-Age=0` removes one).
    public private(set) var cookies: [String: String] = [:]
    /// Raw `Set-Cookie` values of the last response.
    public private(set) var lastSetCookies: [String] = []
    /// Extra header fields sent with every request (e.g. an `Origin`).
    public var extraHeaders: [(name: String, value: String)] = []

    public init(_ registry: TestRegistry) {
        self.registry = registry
    }

    /// GET (or HEAD) `path` exactly as given (raw, percent-encoded by the caller).
    @discardableResult
    public func get(_ path: String, headers: [(name: String, value: String)] = [], method: String = "GET") throws -> TestHTTPResponse {
        try send(method, path, headers: headers, body: nil)
    }

    /// POSTs a urlencoded form. `csrf` nil: the signed-in session's token (read from a page), or
    /// for anonymous forms the `registry_csrf` cookie; pass "" to send none.
    @discardableResult
    public func post(_ path: String, _ fields: [(String, String)] = [], csrf: String? = nil,
                     headers: [(name: String, value: String)] = []) throws -> TestHTTPResponse {
        var all = fields
        let token = try csrf ?? currentToken()
        if !token.isEmpty { all.insert(("csrf_token", token), at: 0) }
        let body = Self.formEncode(all)
        return try send("POST", path, headers: [("Content-Type", "application/x-www-form-urlencoded")] + headers,
                        body: Array(body.utf8))
    }

    /// Signs in through the login form; returns the POST's response (303 on success).
    @discardableResult
    public func signIn(_ email: String, _ password: String, next: String? = nil) throws -> TestHTTPResponse {
        let form = try get("/login")
        guard let token = Self.csrfToken(in: form.text, form: "/login") else {
            throw RawHTTPError.malformed("no csrf_token on /login")
        }
        var fields = [("email", email), ("password", password)]
        if let next { fields.append(("next", next)) }
        let response = try post("/login", fields, csrf: token)
        if let session = cookies["registry_session"] { IssuedSecrets.record(session) }
        return response
    }

    /// The session's CSRF token, read from a signed-in page; for anonymous forms, the double-submit cookie.
    public func currentToken() throws -> String {
        if cookies["registry_session"] != nil {
            let page = try get("/account/password")
            if let token = Self.csrfToken(in: page.text) { return token }
        }
        return cookies["registry_csrf"] ?? ""
    }

    public func setCookie(_ name: String, _ value: String?) {
        cookies[name] = value
    }

    /// The value of the first hidden `csrf_token` field of a page, or of the form posting to `form`.
    public static func csrfToken(in html: String, form: String? = nil) -> String? {
        var html = Substring(html)
        if let form {
            guard let start = html.range(of: #"action="\#(form)""#) else { return nil }
            html = html[start.upperBound...]
        }
        guard let range = html.range(of: #"name="csrf_token" value=""#) else { return nil }
        let rest = html[range.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        return String(rest[..<end])
    }

    /// `application/x-www-form-urlencoded` as browsers write it.
    public static func formEncode(_ fields: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.*")
        func encode(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: allowed)?.replacingOccurrences(of: "%20", with: "+") ?? ""
        }
        return fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }

    private func send(_ method: String, _ path: String, headers: [(name: String, value: String)], body: [UInt8]?) throws -> TestHTTPResponse {
        var all = extraHeaders + headers
        if !cookies.isEmpty {
            all.append(("Cookie", cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")))
        }
        let client = try registry.client()
        defer { client.close() }
        let response = try client.request(method: method, path: path, headers: all, body: body)
        lastSetCookies = response.headers.values("Set-Cookie")
        for cookie in lastSetCookies {
            let pair = cookie.split(separator: ";", maxSplits: 1)[0]
            guard let equals = pair.firstIndex(of: "=") else { continue }
            let name = String(pair[..<equals]).trimmingCharacters(in: .whitespaces)
            let value = String(pair[pair.index(after: equals)...])
            if cookie.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
        return response
    }
}

extension TestRegistry {
    /// Sets a user's password through the CLI (`registry set-password`, OPS-25).
    public func setPassword(_ email: String, _ password: String) throws {
        IssuedSecrets.record(password)
        let result = try cli(["set-password", "--email", email], stdin: password + "\n")
        guard result.status == 0 else { throw RawHTTPError.malformed("set-password failed: \(result.stderr)") }
    }

    /// Stores a password hash straight into the database (fast: 1,000 iterations, which the first
    /// successful login re-hashes to the current count, WEB-3).
    public func storePassword(_ email: String, _ password: String) throws {
        IssuedSecrets.record(password)
        let hash = PasswordHash.make(password: password, iterations: 1000)
        try sql().query("UPDATE users SET password_hash = $1 WHERE email = $2", [hash, email])
    }

    /// A signed-in browser for a new user of `institution` with `role` (password `password`).
    public func signedIn(_ email: String, role: String, institution: String,
                         password: String = "correct horse battery staple") throws -> (browser: WebBrowser, credentials: Credentials) {
        let credentials = try makeUser(email, role: role, institution: institution)
        try storePassword(email, password)
        let browser = WebBrowser(self)
        let response = try browser.signIn(email, password)
        guard response.status == 303 else { throw RawHTTPError.malformed("sign-in of \(email) answered \(response.status)") }
        return (browser, credentials)
    }
}
