import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

extension WebPipeline {
    /// Registers an HTML-view route whose answer another module produces (the API's event export
    /// and PREMIS XML, html.md §4): this view authenticates the session (WEB-5, WEB-10) and maps
    /// failures to its error pages (WEB-26); `handler` does the visibility and permission checks
    /// itself, in the order of DOM-96b.
    public func registerBridged(_ name: String, _ path: String, into builder: inout RouterBuilder<Endpoint>,
                                handler: @escaping @Sendable (Caller, RoutedRequest) throws -> HTTPResponse) throws {
        let route = WebRoute(name, [.get], path, namesRecord: true) { call in
            let response = try handler(call.caller, RoutedRequest(http: call.request, parameters: call.parameters,
                                                                  template: path))
            // The bridged code ran its own authorization (fail closed there).
            try call.authorize()
            return response
        }
        try builder.add(route.methods, route.path, handler: endpoint(for: route))
    }
}
