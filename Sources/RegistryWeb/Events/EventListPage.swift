import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /events` (html.md §4): the auditor's view with every AUD-1 filter, built by the same
/// EventListQuery and EventListScope as `GET /api/v2/events`, and export links carrying the
/// current filters (the export route itself is the one of auditor.md §2).
enum EventListPage {
    /// Counting stops here (WEB-28: 10 million events must not make a page slow).
    static let countCap = 10_000
    /// Filters the form has a control for; any other active filter is kept as a hidden field. An
    /// alias (AUD-1) fills its filter's control instead: a hidden copy would be sent beside the
    /// control's value, and the filter may not repeat (API-45a).
    static let formFields: Set<String> = Set(controlAliases.keys).union([
        "institution", "object_identifier", "file_identifier", "object_level", "identifier", "event_type", "outcome",
        "agent", "date_time_after", "date_time_before", "created_after", "created_before", "sequence_min",
        "sequence_max", "sort", "per_page",
    ])
    /// AUD-1's aliases and the control each one fills.
    static let controlAliases = ["institution_identifier": "institution", "intellectual_object_identifier": "object_identifier",
                                 "generic_file_identifier": "file_identifier", "event_identifier": "identifier"]
    static let sorts: [(value: String, label: String)] = [("date", "Date, newest first"), ("date_asc", "Date, oldest first"),
                                                          ("created", "Recorded, newest first"), ("sequence", "Chain sequence"),
                                                          ("name", "Event identifier")]
    private static let columns: PGQuery = """
        e.identifier::text, e.event_type, e.date_time, e.outcome, e.generic_file_identifier, e.agent,
        e.intellectual_object_identifier, e.detail
        """

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let parsed: (list: WebListRequest, query: EventListQuery)
        do {
            parsed = try parse(call)
        } catch {
            guard case .badRequest(let message) = error else { throw error }
            var context = formContext(call.lenientQuery, caller: call.caller)
            ListParameterError.formErrors(message, controls: formFields).apply(to: &context, labels: [:])
            return call.render(Page("Events", template: "events", status: 400, context))
        }
        let (list, query) = parsed
        let caller = call.caller
        let (rows, count) = try call.read { connection -> (PGResult?, Int) in
            guard let scope = try EventListScope(query, parent: nil, caller: caller, on: connection) else { return (nil, 0) }
            let rows = try connection.query(EventListSQL.page(selectList: columns, query, scope).rows)
            let cap = list.offset + list.perPage + countCap
            return (rows, try connection.query(EventListSQL.cappedCount(scope, cap: cap)).int(0, 0) ?? 0)
        }
        let capped = count >= list.offset + list.perPage + countCap
        var context = formContext(list.query, caller: caller)
        context["events"] = try eventRows(rows, limit: list.perPage)
        context["count"] = capped ? "more than \(Display.grouped(Int64(count)))" : Display.grouped(Int64(count))
        context["pagination"] = list.pagination(count: count, capped: capped,
                                                hasMore: (rows?.rowCount ?? 0) > list.perPage)
        context["active_filters"] = list.activeFilters(labels: [:])
        context["has_active_filters"] = !list.activeFilters(labels: [:]).isEmpty
        context["hidden"] = list.hiddenFields(except: formFields)
        context["per_page_options"] = ["options": list.perPageOptions]
        // AUD-10: exports take the filters and sort but not the paging parameters.
        let filters = list.query.rawQuery(excluding: ["page", "per_page"])
        context["export_csv"] = "/events/export?format=csv" + (filters.isEmpty ? "" : "&" + filters)
        context["export_ndjson"] = "/events/export?format=ndjson" + (filters.isEmpty ? "" : "&" + filters)
        return call.render(Page("Events", template: "events", context))
    }

    private static func parse(_ call: WebCall) throws(RegistryError) -> (list: WebListRequest, query: EventListQuery) {
        let list = try WebListRequest(call, allowed: EventListQuery.filters, repeatable: EventListQuery.repeatable)
        return (list, try EventListQuery(list.filtersWithPaging, pathInstitution: false))
    }

    private static func formContext(_ query: QueryParameters, caller: Caller) -> [String: Any] {
        var context: [String: Any] = [:]
        for name in ["institution", "object_identifier", "file_identifier", "identifier", "agent", "date_time_after",
                     "date_time_before", "created_after", "created_before", "sequence_min", "sequence_max"] {
            context[name] = query.first(name) ?? ""
        }
        for (alias, name) in controlAliases {
            if let value = query.first(alias), (context[name] as? String)?.isEmpty != false { context[name] = value }
        }
        let selected = { (name: String) in query.values(name).filter { !$0.isEmpty } }
        context["event_type_options"] = ["options": Options.anyOf(Vocabulary.eventType.sorted(), selected: selected("event_type"))]
        context["outcome_options"] = ["options": Options.anyOf(["Success", "Failure", "Failed"], selected: selected("outcome"))]
        context["object_level_options"] = ["options": Options.make([("", "Object and file events"), ("true", "Object-level only")],
                                                                   selected: [query.first("object_level") == "true" ? "true" : ""])]
        context["sort_options"] = ["options": Options.make(sorts, selected: [query.first("sort") ?? "date"])]
        context["per_page_options"] = ["options": Options.make(WebListRequest.perPageChoices.map { (String($0), String($0)) },
                                                               selected: [query.first("per_page") ?? "20"])]
        context["events"] = [[String: Any]]()
        return context
    }

    private static func eventRows(_ result: PGResult?, limit: Int) throws -> [[String: Any]] {
        guard let result else { return [] }
        return try (0..<min(result.rowCount, limit)).map { row in
            let identifier = result.string(row, 0) ?? ""
            let outcome = result.string(row, 3) ?? ""
            let file = result.string(row, 4)
            let object = result.string(row, 6) ?? ""
            return ["identifier": identifier, "href": Links.event(identifier), "event_type": result.string(row, 1) ?? "",
                    "date_time": Display.time(try result.timestamp(row, 2)) ?? false, "outcome": outcome,
                    "failed": Display.isFailure(outcome), "file": file ?? false, "file_href": file.map(Links.file) ?? false,
                    "object": object, "object_href": Links.object(object), "agent": result.string(row, 5) ?? "",
                    "detail": result.string(row, 7) ?? ""]
        }
    }
}
