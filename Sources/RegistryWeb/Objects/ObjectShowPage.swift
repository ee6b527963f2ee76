import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /objects/{obj}` (html.md §4): every object field, the open deletion request, the files
/// (paginated by `files_page`), the 10 newest events and work items, the PREMIS link, and the
/// Restore / Request deletion buttons when the caller may use them (WEB-30).
enum ObjectShowPage {
    static let filesPerPage = 20

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        try show(&call, notice: nil, status: 200)
    }

    /// Also used by the restore and deletion actions to show a 409 on the object page (WEB-30).
    static func show(_ call: inout WebCall, notice: String?, status: Int) throws -> HTTPResponse {
        let object = try ObjectPath.visibleObject(&call)
        try call.authorize()
        let filesPage = try PageNumber.parse(call, "files_page", allowed: ["files_page"])
        let caller = call.caller
        let data = try call.read { try ObjectPageData.load(object, filesPage: filesPage, caller: caller, on: $0) }
        var context: [String: Any] = [
            "identifier": object.identifier,
            "fields": data.fields.rows,
            "files": data.files,
            "files_caption": "Files (\(Display.grouped(Int64(data.fileCount))))",
            "files_pagination": FilesPagination.context(call, page: filesPage, count: data.fileCount, perPage: filesPerPage),
            "events": data.events,
            "events_href": Links.with("/events", [("object_identifier", object.identifier)]),
            "items": data.items,
            "premis_href": Links.object(object.identifier) + "/premis.xml",
            "deletion": data.openDeletion ?? false,
            "csrf_token": call.csrfToken,
        ]
        // The same rule the restore and delete actions enforce (DOM-110, DOM-120).
        if DeletionRules.isAdminOrOwnInstitutionalAdmin(caller, institutionID: object.institutionID) && object.state == "A" {
            context["actions"] = ["restore_action": Links.object(object.identifier) + "/restore",
                                  "delete_href": Links.object(object.identifier) + "/delete"]
        } else {
            context["actions"] = false
        }
        return call.render(Page("Object \(object.identifier)", template: "object", status: status, context), notice: notice)
    }
}

/// Resolving `{obj}` (or the unescaped remainder, API-6) to an object the caller may see.
enum ObjectPath {
    /// The object, or a 404 exactly as for a missing one (DOM-96a), naming the identifier as given.
    static func visibleObject(_ call: inout WebCall) throws -> ObjectRef {
        let name = call.parameters.parameterNames.contains("rest") ? "rest" : "obj"
        let identifier = try WebPathIdentifier(call.parameters, name)
        let caller = call.caller
        let found = try call.read { connection in
            try identifier.lookup { text -> ObjectRef? in
                guard NumericID.parse(text) != nil || text.utf8.contains(UInt8(ascii: "/")) else { return nil }
                return try RecordLookups.object(identifierOrID: text, caller: caller, on: connection)
            }
        }
        guard let found else { throw RegistryError.notFound("object not found: \(identifier.literal)") }
        return found
    }
}

/// A `*_page` parameter of a detail page: a positive integer, 1 when absent. Any other query
/// parameter of the page is a 400 (as API-45).
enum PageNumber {
    /// Far beyond any table (a billion pages), yet its offset fits an Int with any page size.
    static let maximum = 1_000_000_000

    static func parse(_ call: WebCall, _ name: String, allowed: Set<String>) throws(RegistryError) -> Int {
        let query = try call.query
        for item in query.items where !allowed.contains(item.name) {
            throw .badRequest("unknown query parameter: \(item.name)")
        }
        guard let text = query.first(name), !text.isEmpty else { return 1 }
        guard text.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let page = Int(text), page >= 1 else {
            throw .badRequest("\(name) must be a positive integer")
        }
        // The page's offset is (page - 1) × rows per page: a page near Int.max would overflow that
        // product and stop the whole process, so absurd pages are refused here.
        guard page <= maximum else { throw .badRequest("\(name) must be at most \(maximum)") }
        return page
    }
}

/// Pagination of a table inside a detail page, by its own parameter (`files_page`, `events_page`).
enum FilesPagination {
    static func context(_ call: WebCall, page: Int, count: Int, perPage: Int, parameter: String = "files_page") -> [String: Any] {
        let pages = max(1, (count + perPage - 1) / perPage)
        let path = String(call.request.head.path)
        var context: [String: Any] = ["page": page, "pages": pages, "previous": false, "next": false]
        if page > 1 { context["previous"] = path + "?\(parameter)=\(min(page - 1, pages))" }
        if page < pages { context["next"] = path + "?\(parameter)=\(page + 1)" }
        return context
    }
}
