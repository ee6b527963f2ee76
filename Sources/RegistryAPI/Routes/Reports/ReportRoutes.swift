import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `/reports/overview`, `/reports/deposits`, `/reports/storage` (api-v2.md §10.10, routes #55–#57),
/// also under `/member-api/v2`.
///
/// Each report is computed by one SQL statement (RegistryCore `…ReportQuery`) and written straight
/// from its result cells. Reports may be served by the read replica on both prefixes (OPS-67).
enum ReportRoutes {
    static var routes: [APIRoute] {
        [
            // namesRecord: the `institution` parameter is checked for visibility (404) before the
            // role and the other parameters (DOM-96a, DOM-96b).
            APIRoute("reports.overview", [.get], "/reports/overview", member: [.get], namesRecord: true, query: QuerySpec(["institution"]), handler: overview),
            APIRoute("reports.deposits", [.get], "/reports/deposits", member: [.get], namesRecord: true, query: QuerySpec(["institution", "start", "end", "storage_option"]),
                     handler: deposits),
            APIRoute("reports.storage", [.get], "/reports/storage", member: [.get], namesRecord: true, query: QuerySpec(["institution"]), handler: storage),
        ]
    }

    /// API-125.
    static func overview(_ call: inout APICall) throws -> HTTPResponse {
        let scope = try subject(&call)
        let (result, _) = try call.database.replicaRead { try $0.query(OverviewReportQuery.make(scope)) }
        let body = ReportWriters.overview(result, scope: scope, generatedAt: .now())
        return APIResponse.json(200, body)
    }

    /// API-126.
    static func deposits(_ call: inout APICall) throws -> HTTPResponse {
        let scope = try subject(&call)
        let query = try call.query
        let period = try DepositPeriod.parse(query, now: .now())
        let storageOption = try storageOptionFilter(query)
        let (result, _) = try call.database.replicaRead { connection in
            try connection.query(DepositsReportQuery.make(scope, start: period.start, end: period.end,
                                                          storageOption: storageOption))
        }
        // The start taken from the data can lie further back than the 600 months allowed.
        guard result.rowCount <= DepositsReportQuery.maximumMonths else { throw DepositPeriod.tooLong }
        let body = ReportWriters.deposits(result, scope: scope)
        return APIResponse.json(200, body)
    }

    /// API-127.
    static func storage(_ call: inout APICall) throws -> HTTPResponse {
        let scope = try subject(&call)
        let (result, _) = try call.database.replicaRead { try $0.query(StorageReportQuery.make(scope)) }
        let body = ReportWriters.storage(result, generatedAt: .now())
        return APIResponse.json(200, body)
    }

    /// The institution the report is about, in the order of DOM-96b, then `authorize()`
    /// (`NamedInstitution`). Without the parameter (or with it empty) non-admins get their own
    /// institution and admins all institutions.
    static func subject(_ call: inout APICall) throws -> ReportScope {
        if let found = try NamedInstitution.resolveThenAuthorize(&call) {
            return ReportScope(institutionID: found.id, institutionIdentifier: found.identifier)
        }
        if call.caller.isAdmin { return .allInstitutions }
        return ReportScope(institutionID: call.caller.institutionID, institutionIdentifier: call.caller.institutionIdentifier)
    }

    /// `storage_option` of the deposits report: one value of DOM-32, or none.
    static func storageOptionFilter(_ query: QueryParameters) throws(RegistryError) -> String? {
        guard let text = query.first("storage_option"), !text.isEmpty else { return nil }
        guard Vocabulary.storageOption.containsExactly(text) else {
            throw .badRequest("invalid value for storage_option: \(text)")
        }
        return text
    }
}

/// `start` and `end` of the deposits report (API-126): `YYYY-MM`; `end` defaults to the current
/// month (UTC), `start` to the month of the earliest file (decided by the query).
struct DepositPeriod {
    let start: ReportMonth?
    let end: ReportMonth

    static let tooLong = RegistryError.badRequest(
        "the report may cover at most \(DepositsReportQuery.maximumMonths) months")

    static func parse(_ query: QueryParameters, now: Timestamp) throws(RegistryError) -> DepositPeriod {
        let today = CivilDateTime(now)
        let currentMonth = ReportMonth(year: today.year, month: today.month)
        guard let end = try month(query, "end") ?? currentMonth else {
            throw .badRequest("invalid month for end")
        }
        let start = try month(query, "start")
        if let start {
            guard start <= end else { throw .badRequest("start must not be after end") }
            guard start.monthsThrough(end) <= DepositsReportQuery.maximumMonths else { throw tooLong }
        }
        return DepositPeriod(start: start, end: end)
    }

    private static func month(_ query: QueryParameters, _ name: String) throws(RegistryError) -> ReportMonth? {
        guard let text = query.first(name), !text.isEmpty else { return nil }
        guard let month = ReportMonth(text) else { throw .badRequest("invalid month for \(name): \(text); use YYYY-MM") }
        return month
    }
}
