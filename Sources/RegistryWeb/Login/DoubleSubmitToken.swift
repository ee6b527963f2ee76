import CryptoSupport
import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

extension WebCall {
    /// WEB-15: the token of the anonymous forms — the `registry_csrf` cookie the browser already
    /// holds, or a new random one set with this response; the form repeats it in `csrf_token`.
    mutating func doubleSubmitToken() -> String {
        if let existing = Cookies.value(Cookies.csrf, in: request.headers), existing.utf8.count == 43,
           Base64URL.decode(existing) != nil {
            return existing
        }
        let token = Base64URL.encode(SecureRandom.bytes(32))
        cookies.append(Cookies.setCSRF(token, secure: settings.cookieSecure))
        return token
    }
}
