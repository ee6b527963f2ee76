import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /items` (html.md §4): the filters of `GET /api/v2/items` through the same
/// WorkItemListQuery, facet counts for action, stage and status (WEB-27), pagination.
enum ItemListPage {
    static let countCap = 10_000
    /// Filters the form has a control for; any other active filter is kept as a hidden field. The
    /// `action` alias is shown by the item_action select (a hidden copy would outlive choosing "Any").
    static let formFields: Set<String> = ["item_action", "action", "stage", "status", "name_like", "object_identifier",
                                          "needs_admin_review", "institution", "sort", "per_page"]
    static let labels = ["item_action": "Action", "action": "Action", "stage": "Stage", "status": "Status",
                         "name_like": "Name contains", "object_identifier": "Object", "needs_admin_review": "Needs admin review",
                         "institution": "Institution"]
    static let sorts: [(value: String, label: String)] = [("date", "Date, newest first"), ("name", "Name"),
                                                          ("created", "Created, newest first"), ("institution", "Institution")]
    private static let columns: PGQuery = """
        w.id, w.name, w.object_identifier, (SELECT i2.identifier FROM institutions i2 WHERE i2.id = w.institution_id),
        w.action, w.stage, w.status, w.date, w.size, w.generic_file_identifier
        """

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        let parsed: (list: WebListRequest, query: WorkItemListQuery)
        do {
            parsed = try parse(call)
        } catch {
            guard case .badRequest(let message) = error else { throw error }
            let institutions = try call.read { caller.isAdmin ? try InstitutionChoices.all(on: $0) : [] }
            var context = formContext(call.lenientQuery, caller: caller, institutions: institutions)
            ListParameterError.formErrors(message, controls: controls(caller)).apply(to: &context, labels: [:])
            return call.render(Page("Work items", template: "items", status: 400, context))
        }
        let (list, query) = parsed
        let scoped = !caller.isAdmin || !(list.filters.values("institution") + list.filters.values("institution_id"))
            .filter { !$0.isEmpty }.isEmpty
        let data = try call.read { connection -> (PGResult, Int, [[(value: String, count: Int)]], [(Int64, String)]) in
            let rows = try connection.query(query.page(selectList: columns, limit: list.perPage + 1, offset: list.offset).rows)
            let institutions = caller.isAdmin ? try InstitutionChoices.all(on: connection) : []
            if scoped {
                let counts = try FacetQuery.counts(dimensions: ["w.action", "w.stage", "w.status"], from: "work_items w",
                                                   whereSQL: query.whereSQL, on: connection)
                return (rows, counts[0].reduce(0) { $0 + $1.count }, counts, institutions)
            }
            let cap = list.offset + list.perPage + countCap
            return (rows, try FacetQuery.cappedCount(from: "work_items w", whereSQL: query.whereSQL, cap: cap, on: connection),
                    [], institutions)
        }
        let (rows, count, facetCounts, institutions) = data
        let capped = !scoped && count >= list.offset + list.perPage + countCap
        var context = formContext(list.query, caller: caller, institutions: institutions)
        context["items"] = try itemRows(rows, limit: list.perPage)
        context["count"] = capped ? "more than \(Display.grouped(Int64(count)))" : Display.grouped(Int64(count))
        context["pagination"] = list.pagination(count: count, capped: capped, hasMore: rows.rowCount > list.perPage)
        context["facets"] = facets(facetCounts, scoped: scoped).map { $0.context(list) }
        context["active_filters"] = list.activeFilters(labels: labels)
        context["has_active_filters"] = !list.activeFilters(labels: labels).isEmpty
        // Non-admins have no institution control: a filter a link carried stays as a hidden field.
        context["hidden"] = list.hiddenFields(except: controls(caller))
        context["per_page_options"] = ["options": list.perPageOptions]
        return call.render(Page("Work items", template: "items", context))
    }

    /// The filters the caller's form has a control for (the institution select is admins' only).
    private static func controls(_ caller: Caller) -> Set<String> {
        caller.isAdmin ? formFields : formFields.subtracting(["institution"])
    }

    private static func parse(_ call: WebCall) throws(RegistryError) -> (list: WebListRequest, query: WorkItemListQuery) {
        let list = try WebListRequest(call, allowed: WorkItemListQuery.filterNames, repeatable: WorkItemListQuery.repeatable)
        return (list, try WorkItemListQuery(list.filters, caller: call.caller, sort: list.sort))
    }

    /// WEB-27: counted under the current filters when tenant-scoped, else every value uncounted.
    private static func facets(_ counts: [[(value: String, count: Int)]], scoped: Bool) -> [Facet] {
        let dimensions: [(String, String, [String])] = [
            ("item_action", "Action", Vocabulary.workItemAction.sorted()),
            ("stage", "Stage", Vocabulary.workItemStage.sorted()),
            ("status", "Status", Vocabulary.workItemStatus.sorted()),
        ]
        return dimensions.enumerated().map { index, dimension in
            guard scoped else { return Facet(name: dimension.0, label: dimension.1, values: dimension.2.map { ($0, $0, nil) }) }
            return Facet(name: dimension.0, label: dimension.1,
                         values: counts[index].sorted { $0.value < $1.value }.map { ($0.value, $0.value, $0.count) })
        }
    }

    private static func formContext(_ query: QueryParameters, caller: Caller, institutions: [(Int64, String)]) -> [String: Any] {
        let selected = { (name: String) in query.values(name).filter { !$0.isEmpty } }
        var context: [String: Any] = [
            "name_like": query.first("name_like") ?? "",
            "object_identifier": query.first("object_identifier") ?? "",
            "action_options": ["options": Options.anyOf(Vocabulary.workItemAction.sorted(),
                                                        selected: selected("item_action") + selected("action"))],
            "stage_options": ["options": Options.anyOf(Vocabulary.workItemStage.sorted(), selected: selected("stage"))],
            "status_options": ["options": Options.anyOf(Vocabulary.workItemStatus.sorted(), selected: selected("status"))],
            "review_options": ["options": Options.make([("", "Any"), ("true", "Yes"), ("false", "No")],
                                                       selected: [query.first("needs_admin_review") ?? ""])],
            "sort_options": ["options": Options.make(sorts, selected: [query.first("sort") ?? "date"])],
            "per_page_options": ["options": Options.make(WebListRequest.perPageChoices.map { (String($0), String($0)) },
                                                         selected: [query.first("per_page") ?? "20"])],
            "items": [[String: Any]](),
            "institution_options": false,
        ]
        if caller.isAdmin {
            context["institution_options"] = ["options": Options.anyOf(institutions.map(\.1), selected: selected("institution"),
                                                                       anyLabel: "All")]
        }
        return context
    }

    private static func itemRows(_ result: PGResult, limit: Int) throws -> [[String: Any]] {
        try (0..<min(result.rowCount, limit)).map { row in
            let id = try result.int64(row, 0) ?? 0
            let object = result.string(row, 2)
            let file = result.string(row, 9)
            return ["href": Links.item(id), "name": result.string(row, 1) ?? "",
                    "object": object ?? false, "object_href": object.map(Links.object) ?? false,
                    "file": file ?? false, "file_href": file.map(Links.file) ?? false,
                    "institution": result.string(row, 3) ?? "", "action": result.string(row, 4) ?? "",
                    "stage": result.string(row, 5) ?? "", "status": result.string(row, 6) ?? "",
                    "date": Display.time(try result.timestamp(row, 7)) ?? false,
                    "size": (try result.int64(row, 8)).map { Display.size($0) } ?? false]
        }
    }
}
