import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The cookies of html.md WEB-5 and WEB-15, and one for one-time notices (WEB-16).
enum Cookies {
    static let session = "registry_session"
    static let csrf = "registry_csrf"
    static let notice = "registry_notice"

    /// The value of `name` in the request's `Cookie` fields (the first one wins), or nil.
    static func value(_ name: String, in headers: HTTPHeaders) -> String? {
        for field in headers.values("Cookie") {
            for pair in field.split(separator: ";") {
                let trimmed = pair.trimmingASCIIWhitespace()
                guard let equals = trimmed.firstIndex(of: "=") else { continue }
                if trimmed[..<equals] == name { return String(trimmed[trimmed.index(after: equals)...]) }
            }
        }
        return nil
    }

    /// WEB-5: `HttpOnly; SameSite=Lax; Path=/` (+ `Secure`), no `Expires`/`Max-Age`: it lives as
    /// long as the browser session, and the server-side row decides the real lifetime.
    static func setSession(_ value: String, secure: Bool) -> String {
        "\(session)=\(value); Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// WEB-15: the double-submit value of the anonymous forms, `SameSite=Strict`.
    static func setCSRF(_ value: String, secure: Bool) -> String {
        "\(csrf)=\(value); Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "")
    }

    /// A one-time notice for the next page (WEB-16). The value is a code from `Notice`, never
    /// free text, so a planted cookie cannot put words on the page.
    static func setNotice(_ code: String, secure: Bool) -> String {
        "\(notice)=\(code); Path=/; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }

    /// Tells the browser to drop `name` (WEB-7: `Max-Age=0`).
    static func clear(_ name: String, secure: Bool) -> String {
        "\(name)=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax" + (secure ? "; Secure" : "")
    }
}
