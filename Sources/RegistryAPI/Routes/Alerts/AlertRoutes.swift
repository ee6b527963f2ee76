import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `/alerts` and `/alerts/summary` (api-v2.md §10.9, routes #45 and #46; domain.md §8.8).
///
/// Admins see every institution, inst admins their own; inst users are refused (403) by the R
/// column. Alerts read the primary: they are not among the replica reads of OPS-67.
enum AlertRoutes {
    static var routes: [APIRoute] {
        [
            APIRoute("alerts.list", [.get], "/alerts", namesRecord: false,
                     query: QuerySpec(["since", "type", "limit"]), handler: list),
            APIRoute("alerts.summary", [.get], "/alerts/summary", namesRecord: false, query: QuerySpec(["since"]), handler: summary),
        ]
    }

    /// API-120: `{"failed_fixity_checks": […], …}` with the keys of the requested type, each list at
    /// most `limit` long, newest first.
    static func list(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let request = try AlertRequest.parse(query)
        let scope = AlertRequest.scope(since: request.since, call)
        let itemRepresentation = WorkItemRoutes.representation(for: call.caller)
        let results = try call.database.read { connection in
            try request.kinds.map { kind in
                let selectList = kind.isEventAlert ? Representations.event.selectList : itemRepresentation.selectList
                return try connection.query(AlertQueries.rows(kind, scope, selectList: selectList, limit: request.limit))
            }
        }
        var writer = JSONWriter(capacity: 4096)
        writer.beginObject()
        for (kind, result) in zip(request.kinds, results) {
            writer.key(AlertRequest.listKey(kind))
            writer.beginArray()
            let representation = kind.isEventAlert ? Representations.event : itemRepresentation
            for row in 0..<result.rowCount {
                representation.writeObject(result, row: row, into: &writer)
            }
            writer.endArray()
        }
        writer.endObject()
        return APIResponse.json(200, writer.bytes)
    }

    /// API-121: the exact count of every alert, from one statement (one snapshot).
    static func summary(_ call: inout APICall) throws -> HTTPResponse {
        let query = try call.query
        let since = try AlertRequest.since(query)
        let scope = AlertRequest.scope(since: since, call)
        let result = try call.database.read { try $0.query(AlertQueries.summary(scope)) }
        var writer = JSONWriter(capacity: 256)
        writer.beginObject()
        for (index, kind) in AlertKind.allCases.enumerated() {
            writer.key(AlertRequest.countKey(kind))
            writer.integerCell(result, 0, index)
        }
        writer.endObject()
        return APIResponse.json(200, writer.bytes)
    }
}

/// The query parameters of the alert routes (API-120, API-121).
struct AlertRequest {
    var since: Timestamp
    var kinds: [AlertKind]
    var limit: Int

    static let defaultLimit = 100

    static func parse(_ query: QueryParameters) throws(RegistryError) -> AlertRequest {
        AlertRequest(since: try since(query), kinds: try kinds(query), limit: try limit(query))
    }

    /// `since`: RFC 3339 or `YYYY-MM-DD` (API-48); default now − 24 h; empty = absent (API-45).
    static func since(_ query: QueryParameters) throws(RegistryError) -> Timestamp {
        try AlertScope.parseSince(query.first("since"))
    }

    /// `type`: one alert, `stalled`/`stalled_wi` (synonyms), or `all` (default).
    static func kinds(_ query: QueryParameters) throws(RegistryError) -> [AlertKind] {
        guard let text = query.first("type"), !text.isEmpty else { return AlertKind.allCases }
        switch text {
        case "all": return AlertKind.allCases
        case "fixity": return [.failedFixity]
        case "ingest": return [.failedIngests]
        case "restore": return [.failedRestorations]
        case "delete": return [.failedDeletions]
        case "stalled", "stalled_wi": return [.stalledWorkItems]
        default: throw .badRequest("invalid value for type: \(text)")
        }
    }

    /// `limit`: an integer 1–1000, default 100; `limit=` is no integer (API-120: 400).
    static func limit(_ query: QueryParameters) throws(RegistryError) -> Int {
        guard let text = query.first("limit") else { return defaultLimit }
        guard let value = NumericID.parse(text), (1...1000).contains(value) else {
            throw .badRequest("limit must be an integer between 1 and 1000")
        }
        return Int(value)
    }

    /// Inst admins: their own institution only (domain.md §7.2).
    static func scope(since: Timestamp, _ call: APICall) -> AlertScope {
        AlertScope(since: since, stalledBefore: AlertScope.stalledCutoff(hours: call.settings.stalledAfterHours),
                   institutionID: call.caller.isAdmin ? nil : call.caller.institutionID)
    }

    static func listKey(_ kind: AlertKind) -> StaticString {
        switch kind {
        case .failedFixity: "failed_fixity_checks"
        case .failedIngests: "failed_ingests"
        case .failedRestorations: "failed_restorations"
        case .failedDeletions: "failed_deletions"
        case .stalledWorkItems: "stalled_work_items"
        }
    }

    static func countKey(_ kind: AlertKind) -> StaticString {
        switch kind {
        case .failedFixity: "failed_fixity_count"
        case .failedIngests: "failed_ingest_count"
        case .failedRestorations: "failed_restoration_count"
        case .failedDeletions: "failed_deletion_count"
        case .stalledWorkItems: "stalled_work_item_count"
        }
    }
}
