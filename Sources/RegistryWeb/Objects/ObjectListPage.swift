import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /objects` (html.md §4): the API's filters (ObjectListQuery, the same code as
/// `GET /api/v2/objects`), facets (WEB-27), removable active filters, sort and pagination.
enum ObjectListPage {
    /// Filters the form has a field for; any other active filter is kept as a hidden field.
    static let formFields: Set<String> = ["identifier_like", "title_like", "access", "state", "storage_option",
                                          "institution", "created_after", "created_before", "per_page", "sort"]
    static let labels = ["identifier_like": "Identifier contains", "title_like": "Title contains", "access": "Access",
                         "state": "State", "storage_option": "Storage option", "institution": "Institution",
                         "institution_identifier": "Institution", "created_after": "Created on or after",
                         "created_before": "Created before", "sort": "Sort", "per_page": "Per page"]
    static let sorts: [(value: String, label: String)] = [("date", "Last updated"), ("identifier", "Identifier"),
                                                          ("name", "Bag name"), ("created", "Created"),
                                                          ("institution", "Institution")]

    private static let columns: PGQuery = """
        o.identifier, o.title, i.identifier, o.access, o.storage_option, o.file_count, o.file_size, o.updated_at, o.state
        """

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        let parsed: (list: WebListRequest, query: ObjectListQuery)
        do {
            parsed = try parse(call)
        } catch {
            guard case .badRequest(let message) = error else { throw error }
            return try invalid(&call, message)
        }
        let (list, listQuery) = parsed
        let institutionFilter = list.filters.values("institution") + list.filters.values("institution_identifier")
        let counted = !caller.isAdmin || institutionFilter.contains { !$0.isEmpty }
        let data = try call.read { connection -> ObjectListData in
            var data = ObjectListData()
            if caller.isAdmin { data.institutions = try InstitutionChoices.all(on: connection) }
            guard let scope = try listQuery.scope(on: connection) else { return data }
            let sql = listQuery.page(selectList: columns, scope, limit: list.perPage + 1, offset: list.offset)
            if counted {
                data.rows = try connection.query(sql.rows)
                var dimensions: [StaticString] = ["o.access", "o.state", "o.storage_option"]
                if caller.isAdmin { dimensions.append("o.institution_id") }
                data.facetCounts = try FacetQuery.counts(dimensions: dimensions, from: "intellectual_objects o",
                                                         whereSQL: scope.sql, on: connection)
                data.count = data.facetCounts[1].reduce(0) { $0 + $1.count }
            } else {
                (data.rows, data.count) = try sql.pageAndCount(offset: list.offset, on: connection)
            }
            return data
        }
        var context = formContext(call, list.query, institutions: data.institutions)
        context["facets"] = facets(data, counted: counted, caller: caller).map { $0.context(list) }
        context["active_filters"] = list.activeFilters(labels: labels)
        context["has_active_filters"] = !(context["active_filters"] as? [[String: Any]] ?? []).isEmpty
        // Non-admins have no institution control: a filter a link carried stays as a hidden field.
        context["hidden"] = list.hiddenFields(except: controls(caller))
        context["per_page_options"] = ["options": list.perPageOptions]
        context["objects"] = rows(data.rows, limit: list.perPage)
        context["count"] = Display.grouped(Int64(data.count))
        context["pagination"] = list.pagination(count: data.count)
        return call.render(Page("Objects", template: "objects", context))
    }

    /// The filters the caller's form has a control for (the institution select is admins' only).
    private static func controls(_ caller: Caller) -> Set<String> {
        caller.isAdmin ? formFields : formFields.subtracting(["institution"])
    }

    private static func parse(_ call: WebCall) throws(RegistryError) -> (list: WebListRequest, query: ObjectListQuery) {
        let list = try WebListRequest(call, allowed: ObjectListQuery.filterNames, repeatable: ObjectListQuery.repeatable)
        return (list, try ObjectListQuery(list.filters, caller: call.caller, pathInstitution: nil, sort: list.sort))
    }

    /// Unknown or invalid parameters: the form with the error, status 400 (html.md §4).
    private static func invalid(_ call: inout WebCall, _ message: String) throws -> HTTPResponse {
        let caller = call.caller
        let institutions = try call.read { connection in caller.isAdmin ? try InstitutionChoices.all(on: connection) : [] }
        let query = call.lenientQuery
        var context = formContext(call, query, institutions: institutions)
        ListParameterError.formErrors(message, controls: controls(caller)).apply(to: &context, labels: [:])
        context["per_page_options"] = ["options": Options.make(WebListRequest.perPageChoices.map { (String($0), String($0)) },
                                                               selected: [query.first("per_page") ?? "20"])]
        return call.render(Page("Objects", template: "objects", status: 400, context))
    }

    /// The filter form with the values as sent.
    private static func formContext(_ call: WebCall, _ query: QueryParameters, institutions: [(Int64, String)]) -> [String: Any] {
        let values = { (name: String) in query.values(name).filter { !$0.isEmpty } }
        var context: [String: Any] = [
            "identifier_like": query.first("identifier_like") ?? "",
            "title_like": query.first("title_like") ?? "",
            "created_after": query.first("created_after") ?? "",
            "created_before": query.first("created_before") ?? "",
            "access_options": ["options": Options.anyOf(Vocabulary.access.sorted(), selected: values("access"))],
            "state_options": ["options": Options.make([("A", "Active"), ("D", "Deleted"), ("all", "All")],
                                                      selected: values("state").isEmpty ? ["A"] : values("state"))],
            "storage_options": ["options": Options.anyOf(Vocabulary.storageOption.sorted(), selected: values("storage_option"))],
            "sort_options": ["options": Options.make(sorts, selected: [query.first("sort") ?? "date"])],
        ]
        if call.caller.isAdmin {
            context["institution_options"] = ["options": Options.anyOf(institutions.map(\.1),
                                                                       selected: values("institution"), anyLabel: "All")]
        }
        return context
    }

    private static func facets(_ data: ObjectListData, counted: Bool, caller: Caller) -> [Facet] {
        func facet(_ name: String, _ label: String, _ index: Int, _ all: [(String, String)]) -> Facet {
            guard counted else { return Facet(name: name, label: label, values: all.map { ($0.0, $0.1, nil) }) }
            let counts = data.facetCounts.indices.contains(index) ? data.facetCounts[index] : []
            return Facet(name: name, label: label, values: counts.sorted { $0.value < $1.value }.map { counted in
                (counted.value, all.first { $0.0 == counted.value }?.1 ?? counted.value, counted.count)
            })
        }
        var facets = [
            facet("access", "Access", 0, Vocabulary.access.sorted().map { ($0, $0) }),
            facet("state", "State", 1, [("A", "Active"), ("D", "Deleted")]),
            facet("storage_option", "Storage option", 2, Vocabulary.storageOption.sorted().map { ($0, $0) }),
        ]
        if caller.isAdmin {
            // Counted per institution id; the link filters by identifier.
            let byID = Dictionary(uniqueKeysWithValues: data.institutions.map { (String($0.0), $0.1) })
            var institutions = facet("institution", "Institution", 3, data.institutions.map { (String($0.0), $0.1) })
            institutions.values = institutions.values.map { (byID[$0.value] ?? $0.value, $0.label, $0.count) }
            facets.append(institutions)
        }
        return facets
    }

    private static func rows(_ result: PGResult?, limit: Int) -> [[String: Any]] {
        guard let result else { return [] }
        return (0..<min(result.rowCount, limit)).map { row in
            let identifier = result.string(row, 0) ?? ""
            let values: [String: Any] = [
                "identifier": identifier, "href": Links.object(identifier), "title": result.string(row, 1) ?? "",
                "institution": result.string(row, 2) ?? "", "access": result.string(row, 3) ?? "",
                "storage_option": result.string(row, 4) ?? "",
                "files": Display.grouped((try? result.int64(row, 5)) ?? 0),
                "size": Display.size((try? result.int64(row, 6)) ?? 0),
                "deleted": result.string(row, 8) == "D",
                "updated": Display.time(try? result.timestamp(row, 7)) ?? false,
            ]
            return values
        }
    }
}

/// What one object list page read.
private struct ObjectListData {
    var rows: PGResult?
    var count = 0
    var facetCounts: [[(value: String, count: Int)]] = []
    var institutions: [(Int64, String)] = []
}

/// Institutions for admins' selects and facets, by identifier.
enum InstitutionChoices {
    static func all(on connection: PGConnection) throws -> [(Int64, String)] {
        let result = try connection.query("SELECT id, identifier FROM institutions ORDER BY identifier")
        return try (0..<result.rowCount).compactMap { row in
            guard let id = try result.int64(row, 0), let identifier = result.string(row, 1) else { return nil }
            return (id, identifier)
        }
    }
}
