import HTTPServer
import RegistryCore

/// Fixity status (api-v2.md routes #21 and #62; auditor.md §4).
enum FixityRoutes {
    static var routes: [APIRoute] {
        [
            // AUD-31. The literal `fixity` wins over `/files/{file}` and its API-6 remainder
            // fallback (API-82); the file identifier must be encoded (API-6).
            APIRoute("files.fixity", [.get], "/files/{file}/fixity", member: [.get], namesRecord: true, handler: FileFixityHistory.respond),
            // AUD-30.
            APIRoute("fixity.overdue", [.get], "/fixity/overdue", member: [.get], namesRecord: false, query: FixityOverdue.querySpec, handler: FixityOverdue.respond),
        ]
    }
}
