import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Posted HTML forms: `application/x-www-form-urlencoded`, decoded exactly like a query string
/// (`+` is a space, then `%XX`), so one decoder serves both (Routing's form decoding).
enum FormBody {
    static func parse(_ request: HTTPRequest) throws(RegistryError) -> QueryParameters {
        for type in request.headers.values("Content-Type") {
            let mediaType = type.split(separator: ";").first.map { $0.trimmingASCIIWhitespace().lowercased() } ?? ""
            guard mediaType == "application/x-www-form-urlencoded" else {
                throw .unsupportedMediaType("forms must be sent as application/x-www-form-urlencoded")
            }
        }
        // Browsers percent-encode every non-ASCII byte of a form, so the raw body is ASCII; any
        // stray byte is caught by the decoder's UTF-8 check after unescaping. A field that cannot
        // be decoded (a NUL, which no stored text may hold, DOM-6) counts as not sent: each form
        // then answers as for a missing value (422, a failed login, `next` going to `/`).
        let text = String(decoding: request.body, as: UTF8.self)
        return QueryParameters(rawQueryDroppingUndecodable: Substring(text))
    }
}

extension QueryParameters {
    /// A form field with surrounding whitespace removed; nil when absent or blank.
    func trimmedField(_ name: String) -> String? {
        guard let value = first(name) else { return nil }
        let trimmed = value.trimmedWhitespace()
        return trimmed.isEmpty ? nil : trimmed
    }
}

extension String {
    /// Without Unicode whitespace (newlines included) at either end.
    func trimmedWhitespace() -> String {
        var scalars = Substring(self).unicodeScalars
        while let first = scalars.first, first.properties.isWhitespace { scalars.removeFirst() }
        while let last = scalars.last, last.properties.isWhitespace { scalars.removeLast() }
        return String(Substring(scalars))
    }
}
