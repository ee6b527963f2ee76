import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /deletions` (html.md §4): deletion requests with the API's filters (DeletionListQuery,
/// the same code as `GET /api/v2/deletions`); `expired` is shown as such.
enum DeletionListPage {
    static let statuses = ["requested", "institution_approved", "approved", "completed", "cancelled", "expired"]
    /// The filter form's controls; any other active filter is kept as a hidden field.
    static let formFields: Set<String> = ["status", "per_page"]

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let parsed: (list: WebListRequest, query: DeletionListQuery)
        do {
            parsed = try parse(call)
        } catch {
            guard case .badRequest(let message) = error else { throw error }
            var context = formContext(call.lenientQuery)
            ListParameterError.formErrors(message, controls: formFields).apply(to: &context, labels: [:])
            return call.render(Page("Deletion requests", template: "deletions", status: 400, context))
        }
        let (list, query) = parsed
        var columns: PGQuery = "d.id, i.identifier, d.kind, "
        columns.append(DeletionListQuery.statusColumn)
        columns.append("""
            , ru.email, d.requested_at,
              (SELECT count(*) FROM deletion_request_objects x WHERE x.deletion_request_id = d.id),
              (SELECT count(*) FROM deletion_request_files y WHERE y.deletion_request_id = d.id)
            """)
        let sql = query.page(selectList: columns, limit: list.perPage, offset: list.offset)
        let (result, total) = try call.read { connection in
            try sql.pageAndCount(offset: list.offset, on: connection)
        }
        let requests: [[String: Any]] = try (0..<result.rowCount).map { row in
            let id = try result.int64(row, 0) ?? 0
            return ["id": id, "href": Links.deletion(id), "institution": result.string(row, 1) ?? "",
                    "kind": result.string(row, 2) ?? "", "status": result.string(row, 3) ?? "",
                    "requested_by": result.string(row, 4) ?? "",
                    "requested_at": Display.time(try result.timestamp(row, 5)) ?? false,
                    "objects": Display.grouped(try result.int64(row, 6) ?? 0),
                    "files": Display.grouped(try result.int64(row, 7) ?? 0)]
        }
        var context = formContext(list.query)
        context["requests"] = requests
        context["count"] = Display.grouped(Int64(total))
        context["pagination"] = list.pagination(count: total)
        context["hidden"] = list.hiddenFields(except: formFields)
        return call.render(Page("Deletion requests", template: "deletions", context))
    }

    private static func parse(_ call: WebCall) throws(RegistryError) -> (list: WebListRequest, query: DeletionListQuery) {
        let list = try WebListRequest(call, allowed: DeletionListQuery.filterNames, repeatable: DeletionListQuery.repeatable)
        return (list, try DeletionListQuery(list.filters, caller: call.caller, sort: list.sort))
    }

    private static func formContext(_ query: QueryParameters) -> [String: Any] {
        ["status_options": ["options": Options.anyOf(statuses, selected: query.values("status").filter { !$0.isEmpty })],
         "per_page_options": ["options": Options.make(WebListRequest.perPageChoices.map { (String($0), String($0)) },
                                                      selected: [query.first("per_page") ?? "20"])],
         "requests": [[String: Any]](), "hidden": [[String: Any]]()]
    }
}
