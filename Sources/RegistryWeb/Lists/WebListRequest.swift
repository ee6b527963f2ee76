import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The query of an HTML list page (html.md §4): the API's filter names (checked like API-45/45a:
/// unknown or wrongly repeated parameters are a 400), `page`, `per_page` (10/20/50/100, default
/// 20) and `sort`; plus the links the page needs (pagination, facets, removable filters).
struct WebListRequest {
    static let perPageChoices = [10, 20, 50, 100]
    static let pagingNames: Set<String> = ["page", "per_page", "sort"]

    let query: QueryParameters
    /// The filters only (no paging or sort), for the shared list-query builders.
    let filters: FilterValues
    let page: Int
    let perPage: Int
    let sort: String?
    private let path: String

    /// - Throws: 400 naming the parameter (the page shows it as a form error).
    init(_ call: WebCall, allowed: Set<String>, repeatable: Set<String>) throws(RegistryError) {
        query = try call.query
        path = String(call.request.head.path)
        var repeats = RepeatedParameters(repeatable: repeatable)
        for item in query.items {
            guard allowed.contains(item.name) || Self.pagingNames.contains(item.name) else {
                throw .badRequest("unknown query parameter: \(item.name)")
            }
            // An empty control is no filter (ListFilters reads it as absent): a form that kept an
            // alias from a link as a hidden field also sends the filter's own, empty, control.
            if !item.value.isEmpty { try repeats.note(item.name) }
        }
        let all = FilterValues(query.items.map { FilterValues.Item(name: $0.name, value: $0.value) })
        let parsed = try ListParameters.parse(all, defaultPerPage: 20, emptyMeansAbsent: true)
        if let text = query.first("per_page"), !text.isEmpty, !Self.perPageChoices.contains(parsed.perPage) {
            throw .badRequest("per_page must be one of 10, 20, 50, 100")
        }
        filters = all.removing(Self.pagingNames)
        page = parsed.page
        perPage = parsed.perPage
        sort = parsed.sort
    }

    /// The filters plus the validated `page`, `per_page` (the HTML default of 20 made explicit) and
    /// `sort`, for builders that read the paging parameters themselves.
    var filtersWithPaging: FilterValues {
        var items = filters.items
        items.append(FilterValues.Item(name: "page", value: String(page)))
        items.append(FilterValues.Item(name: "per_page", value: String(perPage)))
        if let sort { items.append(FilterValues.Item(name: "sort", value: sort)) }
        return FilterValues(items)
    }

    /// Rows to skip for this page.
    var offset: Int {
        let (product, overflow) = (page - 1).multipliedReportingOverflow(by: perPage)
        return overflow ? Int.max / 2 : product
    }

    /// This list with `page` replaced (every other parameter kept in its original encoding).
    func link(page: Int) -> String {
        let kept = query.rawQuery(excluding: ["page"])
        return path + "?" + (kept.isEmpty ? "" : kept + "&") + "page=\(page)"
    }

    /// This list with one more filter value, back on page 1 (facet links, WEB-27).
    func adding(_ name: String, _ value: String) -> String {
        let kept = query.items.filter { $0.name != "page" && !($0.name == name && $0.value == value) }.map { String($0.rawPiece) }
        return path + "?" + (kept + [PercentEncoding.encode(name) + "=" + PercentEncoding.encode(value)]).joined(separator: "&")
    }

    /// Whether the filter `name` currently has the value `value`.
    func has(_ name: String, _ value: String) -> Bool {
        filters.items.contains { $0.name == name && $0.value == value }
    }

    /// The active filters as removable links ("name: value" → the list without it), page 1.
    func activeFilters(labels: [String: String]) -> [[String: Any]] {
        query.items.enumerated().compactMap { index, item -> [String: Any]? in
            guard !Self.pagingNames.contains(item.name), !item.value.isEmpty else { return nil }
            let kept = query.items.enumerated().filter { $0.offset != index && $0.element.name != "page" }
                .map { String($0.element.rawPiece) }
            return ["label": "\(labels[item.name] ?? item.name): \(item.value)",
                    "href": path + (kept.isEmpty ? "" : "?" + kept.joined(separator: "&"))]
        }
    }

    /// Hidden inputs for active parameters the page's form has no field for, so submitting the
    /// form keeps them.
    func hiddenFields(except formFields: Set<String>) -> [[String: Any]] {
        query.items.compactMap { item in
            guard !formFields.contains(item.name), item.name != "page", !item.value.isEmpty else { return nil }
            return ["name": item.name, "value": item.value]
        }
    }

    /// WEB-22: previous/next links and "Page X of Y" (the current page marked `aria-current`).
    /// With `capped`, `count` is a lower bound (`Y` reads "more than N"), and `hasMore` decides
    /// the next link.
    func pagination(count: Int, capped: Bool = false, hasMore: Bool = false) -> [String: Any] {
        let pages = max(1, (count + perPage - 1) / perPage)
        var context: [String: Any] = ["page": page, "pages": capped ? "more than \(Display.grouped(Int64(pages)))" : String(pages),
                                      "previous": false, "next": false]
        if page > 1 { context["previous"] = link(page: capped ? page - 1 : min(page - 1, pages)) }
        if capped ? hasMore : page < pages { context["next"] = link(page: page + 1) }
        return context
    }

    /// `<option>`s for the per-page select.
    var perPageOptions: [[String: Any]] {
        Self.perPageChoices.map { ["value": String($0), "label": String($0), "selected": $0 == perPage] }
    }
}

/// `<option>` lists for selects: `value`, `label`, `selected`.
enum Options {
    static func make(_ choices: [(value: String, label: String)], selected: [String]) -> [[String: Any]] {
        choices.map { ["value": $0.value, "label": $0.label, "selected": selected.contains($0.value)] }
    }

    /// An "any" choice (empty value) followed by `values` as their own labels.
    static func anyOf(_ values: [String], selected: [String], anyLabel: String = "Any") -> [[String: Any]] {
        make([("", anyLabel)] + values.map { ($0, $0) }, selected: selected.isEmpty ? [""] : selected)
    }
}
