import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /files/{file}` (html.md §4): every file field, checksums, the fixity history (auditor.md
/// AUD-31, failures written "Failed"), storage records, events (paginated by `events_page`), and
/// the Restore / Request deletion buttons when permitted (WEB-30).
enum FileShowPage {
    static let eventsPerPage = 20

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        try show(&call, notice: nil, status: 200)
    }

    static func show(_ call: inout WebCall, notice: String?, status: Int) throws -> HTTPResponse {
        let file = try FilePath.visibleFile(&call)
        try call.authorize()
        let eventsPage = try PageNumber.parse(call, "events_page", allowed: ["events_page"])
        let data = try call.read { try FilePageData.load(file, eventsPage: eventsPage, caller: call.caller, on: $0) }
        let caller = call.caller
        var context: [String: Any] = [
            "identifier": file.identifier,
            "fields": data.fields.rows,
            "checksums": data.checksums,
            "fixity": data.fixity,
            "fixity_checks": data.fixityChecks,
            "storage_records": data.storageRecords,
            "events": data.events,
            "events_caption": "Events (\(Display.grouped(Int64(data.eventCount))))",
            "events_pagination": FilesPagination.context(call, page: eventsPage, count: data.eventCount,
                                                         perPage: eventsPerPage, parameter: "events_page"),
            "csrf_token": call.csrfToken,
        ]
        // The same rule the restore and delete actions enforce (DOM-110, DOM-120).
        if file.state == "A" && DeletionRules.isAdminOrOwnInstitutionalAdmin(caller, institutionID: file.object.institutionID) {
            context["actions"] = ["restore_action": Links.file(file.identifier) + "/restore",
                                  "delete_href": Links.file(file.identifier) + "/delete"]
        } else {
            context["actions"] = false
        }
        return call.render(Page("File \(file.identifier)", template: "file", status: status, context), notice: notice)
    }
}

/// Resolving `{file}` (or the unescaped remainder, API-6) to a file the caller may see.
enum FilePath {
    static func visibleFile(_ call: inout WebCall) throws -> FileRef {
        let name = call.parameters.parameterNames.contains("rest") ? "rest" : "file"
        let identifier = try WebPathIdentifier(call.parameters, name)
        let caller = call.caller
        let found = try call.read { connection in
            try identifier.lookup { text -> FileRef? in
                let slashes = text.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }
                guard NumericID.parse(text) != nil || slashes >= 2 else { return nil }
                return try RecordLookups.file(identifierOrID: text, caller: caller, on: connection)
            }
        }
        guard let found else { throw RegistryError.notFound("file not found: \(identifier.literal)") }
        return found
    }
}
