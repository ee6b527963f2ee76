import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /` (html.md §4): figures for the caller's institution (admins: all institutions, or the one
/// chosen with `institution`), the newest work items and links to each list.
enum DashboardPage {
    /// Counting overdue files stops here, so the dashboard stays fast on a large repository.
    static let overdueCap = 100_000

    static func show(_ call: inout WebCall) throws -> HTTPResponse {
        let caller = call.caller
        let query = try call.query
        for item in query.items where !(caller.isAdmin && item.name == "institution") {
            throw RegistryError.badRequest("unknown query parameter: \(item.name)")
        }
        let chosen = caller.isAdmin ? query.first("institution").flatMap { $0.isEmpty ? nil : $0 } : nil
        let stalledHours = call.settings.stalledAfterHours
        let data = try call.read { connection -> DashboardData? in
            var institutionID: Int64? = caller.isAdmin ? nil : caller.institutionID
            var chosenIdentifier: String?
            if let chosen {
                guard let found = try RecordLookups.institution(identifierOrID: chosen, caller: caller, on: connection) else {
                    return nil
                }
                institutionID = found.id
                chosenIdentifier = found.identifier
            }
            return try DashboardData.load(institutionID: institutionID, chosenInstitution: chosenIdentifier, caller: caller,
                                          stalledAfterHours: stalledHours, on: connection)
        }
        guard let data else { throw RegistryError.notFound("institution not found: \(chosen ?? "")") }
        var context: [String: Any] = [
            "scope": chosen ?? (caller.isAdmin ? "all institutions" : caller.institutionIdentifier),
            "figures": data.figures, "items": data.items, "institution_options": false,
            "alerts": data.alerts.isEmpty ? false : ["counts": data.alerts],
            // html.md §4: alerts and users are lists for admins and inst admins only (inst users get a 403).
            "staff_lists": caller.role != .institutionalUser,
        ]
        if caller.isAdmin {
            context["institution_options"] = ["options": Options.anyOf(data.institutions, selected: chosen.map { [$0] } ?? [],
                                                                       anyLabel: "All institutions")]
        }
        return call.render(Page("Dashboard", template: "dashboard", context))
    }
}

/// The dashboard's figures: one aggregate query per figure, none per row.
struct DashboardData {
    var figures: [[String: Any]] = []
    var items: [[String: Any]] = []
    var institutions: [String] = []
    /// The alert summary of the last 24 h (admins and inst admins, domain.md §8.8).
    var alerts: [[String: Any]] = []

    /// `chosenInstitution`: the institution an admin picked, carried into the figures' list links so
    /// that following one keeps the same scope.
    static func load(institutionID: Int64?, chosenInstitution: String?, caller: Caller, stalledAfterHours: Int,
                     on connection: PGConnection) throws -> DashboardData {
        var data = DashboardData()
        var objects: PGQuery = """
            SELECT count(*), coalesce(sum(o.file_count), 0)::bigint,
                   least(coalesce(sum(o.file_size), 0), 9223372036854775807)::bigint
            FROM intellectual_objects o WHERE o.state = 'A'
            """
        // The byte sum is numeric; past 8 EiB (only reachable by sizes no real file has: each file
        // and each object is limited to a bigint, their sum is not) it is shown as 8 EiB rather than
        // failing the page with a bigint overflow.
        if let institutionID { objects.append(" AND o.institution_id = \(institutionID)") }
        // DOM-93: inst users never see restricted objects, in figures either.
        if caller.role == .institutionalUser { objects.append(" AND o.access <> 'restricted'") }
        let totals = try connection.query(objects)

        var items: PGQuery = "SELECT status, count(*) FROM work_items w WHERE w.status IN ('Pending', 'Started')"
        if let institutionID { items.append(" AND w.institution_id = \(institutionID)") }
        items.append(" GROUP BY status")
        let pending = try connection.query(items)
        var byStatus: [String: Int64] = [:]
        for row in 0..<pending.rowCount { byStatus[pending.string(row, 0) ?? ""] = try pending.int64(row, 1) ?? 0 }

        var overdue: PGQuery = """
            SELECT count(*) FROM (SELECT 1 FROM generic_files f
            WHERE f.state = 'A' AND f.last_fixity_check < now() - interval '90 days'
            """
        if let institutionID { overdue.append(" AND f.institution_id = \(institutionID)") }
        if caller.role == .institutionalUser {
            overdue.append("""
                 AND NOT EXISTS (SELECT 1 FROM intellectual_objects o WHERE o.id = f.intellectual_object_id
                                 AND o.access = 'restricted')
                """)
        }
        overdue.append(" LIMIT \(DashboardPage.overdueCap)) capped")
        let overdueCount = try connection.query(overdue).int64(0, 0) ?? 0

        let scoped: [(String, String)] = chosenInstitution.map { [("institution", $0)] } ?? []
        data.figures = [
            figure("Active objects", Display.grouped(try totals.int64(0, 0) ?? 0), Links.with("/objects", scoped)),
            figure("Active files", Display.grouped(try totals.int64(0, 1) ?? 0), nil),
            figure("Total size", Display.size(try totals.int64(0, 2) ?? 0), nil),
            figure("Work items pending", Display.grouped(byStatus["Pending"] ?? 0),
                   Links.with("/items", [("status", "Pending")] + scoped)),
            figure("Work items started", Display.grouped(byStatus["Started"] ?? 0),
                   Links.with("/items", [("status", "Started")] + scoped)),
            figure("Files overdue for fixity (90 days)",
                   overdueCount >= Int64(DashboardPage.overdueCap) ? "more than \(Display.grouped(overdueCount))"
                                                                   : Display.grouped(overdueCount), nil),
        ]

        var newest: PGQuery = "SELECT w.id, w.name, w.action, w.stage, w.status, w.date FROM work_items w"
        if let institutionID { newest.append(" WHERE w.institution_id = \(institutionID)") }
        newest.append(" ORDER BY w.date DESC, w.id DESC LIMIT 10")
        let recent = try connection.query(newest)
        data.items = try (0..<recent.rowCount).map { row in
            let id = try recent.int64(row, 0) ?? 0
            return ["href": Links.item(id), "name": recent.string(row, 1) ?? "", "action": recent.string(row, 2) ?? "",
                    "stage": recent.string(row, 3) ?? "", "status": recent.string(row, 4) ?? "",
                    "date": Display.time(try recent.timestamp(row, 5)) ?? false]
        }
        if caller.isAdmin { data.institutions = try InstitutionChoices.all(on: connection).map(\.1) }
        if caller.role != .institutionalUser {
            var scope = AlertsPage.scope(since: AlertsPage.hoursAgo(24), caller: caller, stalledAfterHours: stalledAfterHours)
            scope.institutionID = institutionID
            let summary = try connection.query(AlertQueries.summary(scope))
            data.alerts = try AlertKind.allCases.enumerated().map { index, kind in
                ["label": AlertsPage.titles[kind] ?? kind.rawValue, "count": Display.grouped(try summary.int64(0, index) ?? 0),
                 "href": "/alerts#alert-\(kind.rawValue)"]
            }
        }
        return data
    }

    private static func figure(_ label: String, _ value: String, _ href: String?) -> [String: Any] {
        ["label": label, "value": value, "href": href ?? false]
    }
}
