import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /alerts` (html.md §4, domain.md §8.8): admins (every institution) and inst admins (their
/// own); a `since` selector (24 h, 7 d, 30 d); five sections, each with its exact count and up to
/// 100 rows, from the same AlertQueries as `GET /api/v2/alerts`.
enum AlertsPage {
    static let rowLimit = 100
    static let windows: [(value: String, label: String, hours: Int64)] = [("24h", "Last 24 hours", 24),
                                                                       ("7d", "Last 7 days", 168),
                                                                       ("30d", "Last 30 days", 720)]
    static let titles: [AlertKind: String] = [
        .failedFixity: "Failed fixity checks", .failedIngests: "Failed ingests",
        .failedRestorations: "Failed restorations", .failedDeletions: "Failed deletions",
        .stalledWorkItems: "Stalled work items",
    ]

    private static let eventColumns: PGQuery = """
        e.identifier::text, e.event_type, e.date_time, e.outcome, e.generic_file_identifier, e.agent,
        e.intellectual_object_identifier, e.created_at
        """
    private static let itemColumns: PGQuery = """
        w.id, w.name, w.object_identifier, (SELECT i2.identifier FROM institutions i2 WHERE i2.id = w.institution_id),
        w.action, w.stage, w.status, w.updated_at, w.generic_file_identifier, w.queued_at
        """

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        try call.authorize(caller.role != .institutionalUser)
        let window: Window
        do {
            window = try parse(call)
        } catch {
            guard case .badRequest(let message) = error else { throw error }
            // html.md §4, WEB-21: the selector with the error on it, status 400.
            var context: [String: Any] = [
                "since_options": ["options": Options.make(windows.map { ($0.value, $0.label) },
                                                          selected: [call.lenientQuery.first("since") ?? ""])],
            ]
            ListParameterError.formErrors(message, controls: ["since"]).apply(to: &context, labels: [:])
            return call.render(Page("Alerts", template: "alerts", status: 400, context))
        }
        let scope = Self.scope(since: window.since, caller: caller, stalledAfterHours: call.settings.stalledAfterHours)
        let (counts, lists) = try call.read { connection -> ([Int64], [PGResult]) in
            let summary = try connection.query(AlertQueries.summary(scope))
            let counts = try AlertKind.allCases.indices.map { try summary.int64(0, $0) ?? 0 }
            let lists = try AlertKind.allCases.map { kind in
                try connection.query(AlertQueries.rows(kind, scope, selectList: kind.isEventAlert ? eventColumns : itemColumns,
                                                       limit: rowLimit))
            }
            return (counts, lists)
        }
        let sections: [[String: Any]] = try AlertKind.allCases.enumerated().map { index, kind in
            let count = counts[index]
            return ["id": "alert-\(kind.rawValue)", "title": titles[kind] ?? kind.rawValue,
                    "count": Display.grouped(count), "shown": count > Int64(rowLimit) ? "the newest \(rowLimit)" : false,
                    "is_events": kind.isEventAlert,
                    "events": kind.isEventAlert ? try EventRows.rows(lists[index]) : [[String: Any]](),
                    "items": kind.isEventAlert ? [[String: Any]]() : try itemRows(lists[index])]
        }
        let context: [String: Any] = [
            "sections": sections, "window": window.label,
            "since_options": ["options": Options.make(window.choices, selected: [window.value])],
            "stalled_hours": call.settings.stalledAfterHours,
        ]
        return call.render(Page("Alerts", template: "alerts", context))
    }

    /// The chosen failure window: one of the selector's tokens, or the API's own `since` forms.
    struct Window {
        /// The `since` value as given (a token, a timestamp or a date).
        var value: String
        var label: String
        var since: Timestamp
        /// The selector's choices; a timestamp or date gets its own selected choice so that
        /// submitting the form again keeps it.
        var choices: [(value: String, label: String)]
    }

    private static func parse(_ call: WebCall) throws(RegistryError) -> Window {
        let query = try call.query
        for item in query.items where item.name != "since" {
            throw .badRequest("unknown query parameter: \(item.name)")
        }
        let tokens = windows.map { (value: $0.value, label: $0.label) }
        let chosen = query.first("since").flatMap { $0.isEmpty ? nil : $0 } ?? "24h"
        if let window = windows.first(where: { $0.value == chosen }) {
            return Window(value: chosen, label: window.label, since: hoursAgo(window.hours), choices: tokens)
        }
        // API-48: exactly the forms `GET /api/v2/alerts` accepts, through the same parser.
        guard let since = try? AlertScope.parseSince(chosen) else {
            throw .badRequest("since must be one of 24h, 7d, 30d, an RFC 3339 timestamp or a YYYY-MM-DD date")
        }
        let label = "Since \(since.htmlString)"
        return Window(value: chosen, label: label, since: since, choices: tokens + [(value: chosen, label: label)])
    }

    /// Inst admins see their own institution only (api-v2.md API-120).
    static func scope(since: Timestamp, caller: Caller, stalledAfterHours: Int) -> AlertScope {
        AlertScope(since: since, stalledBefore: AlertScope.stalledCutoff(hours: stalledAfterHours),
                   institutionID: caller.isAdmin ? nil : caller.institutionID)
    }

    /// Now minus `hours` (the selector's windows, the dashboard's 24 h).
    static func hoursAgo(_ hours: Int64) -> Timestamp {
        let now = Timestamp.now()
        return now.adding(microseconds: -hours * 3_600_000_000) ?? now
    }

    private static func itemRows(_ result: PGResult) throws -> [[String: Any]] {
        try (0..<result.rowCount).map { row in
            let id = try result.int64(row, 0) ?? 0
            let object = result.string(row, 2)
            let file = result.string(row, 8)
            return ["href": Links.item(id), "name": result.string(row, 1) ?? "",
                    "object": object ?? false, "object_href": object.map(Links.object) ?? false,
                    "file": file ?? false, "file_href": file.map(Links.file) ?? false,
                    "institution": result.string(row, 3) ?? "", "action": result.string(row, 4) ?? "",
                    "stage": result.string(row, 5) ?? "", "status": result.string(row, 6) ?? "",
                    "updated": Display.time(try result.timestamp(row, 7)) ?? false,
                    "queued": Display.time(try result.timestamp(row, 9)) ?? false]
        }
    }
}

/// `/alerts` (html.md §4).
enum AlertRoutes {
    static var routes: [WebRoute] {
        [WebRoute("alerts", [.get], "/alerts", namesRecord: true,
                  handler: AlertsPage.show)]
    }
}
