import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// Every file of `public/`, compiled into the binary, served under `/static/<name>` (html.md WEB-24).
///
/// Only exact names of embedded files are served: the lookup is a dictionary hit on the decoded
/// segment, so `..`, `%2e%2e`, `%2F` or any other spelling of a path can never reach the file
/// system — there is none behind it — and is a 404 like every unknown name.
enum StaticFiles {
    private static let files: [String: (contentType: String, body: [UInt8])] = {
        var files: [String: (String, [UInt8])] = [:]
        for file in EmbeddedPublicFiles.files {
            files[file.name] = (contentType(for: file.name), Array(file.text.utf8))
        }
        return files
    }()

    /// - Parameters:
    ///   - publicBaseIsHTTPS: an https `PUBLIC_BASE_URL` makes every answer an https one (WEB-17's
    ///     HSTS), as for pages: behind a TLS proxy the request itself may say http.
    ///   - notFound: the HTML 404 page (WEB-26) for a name that is not an embedded file.
    static func register(into builder: inout RouterBuilder<Endpoint>, publicBaseIsHTTPS: Bool, maxBodyBytes: Int,
                         notFound: @escaping @Sendable (RoutedRequest) -> HTTPResponse) throws {
        // Memory only: answered on the event loop.
        try builder.add([.get], "/static/{name}", handler: Endpoint(bodyLimit: maxBodyBytes, inline: true) { routed in
            var response = serve(routed.parameters) ?? notFound(routed)
            response.routeLabel = routed.template
            WebResponse.addSecurityHeaders(to: &response, https: publicBaseIsHTTPS || routed.http.context.scheme == "https")
            return response
        })
    }

    private static func serve(_ parameters: RouteParameters) -> HTTPResponse? {
        guard let name = try? parameters.decoded("name"), let file = files[name] else { return nil }
        var response = HTTPResponse.bytes(200, contentType: file.contentType, file.body)
        response.headers.add("Cache-Control", "public, max-age=86400")
        return response
    }

    static func contentType(for name: String) -> String {
        switch name.split(separator: ".").last.map(String.init) ?? "" {
        case "css": "text/css; charset=utf-8"
        case "svg": "image/svg+xml"
        case "ico": "image/x-icon"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }
}
