import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /objects` and `GET /objects/{inst}` (api-v2.md API-90, route #3).
enum ObjectList {
    static let filters: Set<String> = [
        "institution", "institution_identifier", "identifier", "identifier_like", "bag_name", "bag_name_like",
        "title_like", "description_like", "alt_identifier", "alt_identifier_like", "bag_group_identifier",
        "bag_group_identifier_like", "etag", "etag_like", "access", "state", "storage_option", "source_organization",
        "internal_sender_identifier", "internal_sender_identifier_like", "bagit_profile_identifier", "file_format",
        "created_after", "created_before", "createdBefore", "updated_after", "updated_before",
    ]

    /// API-45a: these mean "any of" when repeated (`institution_identifier` counts as `institution`).
    static let querySpec = QuerySpec(filters.union(ListParameters.names),
                                     repeatable: ["institution", "institution_identifier", "access", "state", "storage_option"])

    /// `pathInstitution`: the visible institution named by `/objects/{inst}` (already resolved:
    /// an unknown or invisible one is a 404 before this runs, DOM-96b).
    static func list(_ call: inout APICall, pathInstitution: InstitutionRef?) throws -> HTTPResponse {
        if pathInstitution != nil {
            try call.authorize()
            try call.validateQuery(querySpec)
        }
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        let orderBy = try order(parameters.sort)
        var filters = ListFilters(query)
        try addFilters(&filters)
        if call.caller.role == .institutionalUser {
            // DOM-93: inst users never see restricted objects, in lists either.
            filters.clause.add("o.access <> 'restricted'")
        }
        let institutionValues = filters.values(["institution", "institution_identifier"])
        let caller = call.caller

        let (page, fromReplica) = try call.readForThisPrefix { connection -> ListPage? in
            var clause = filters.clause
            switch try institutionScope(path: pathInstitution, filter: institutionValues, caller: caller, on: connection) {
            case .nothing: return nil
            case .every: break
            case .only(let condition): clause.add(condition)
            }
            let whereSQL = clause.sql
            var rows: PGQuery = "SELECT "
            rows.append(Representations.object.selectList)
            rows.append(" FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id")
            rows.append(whereSQL)
            rows.append(orderBy)
            rows.append(" LIMIT \(parameters.perPage + 1) OFFSET \(parameters.offset)")
            // Every condition names only `o` (institutions are resolved to ids first), so the
            // count needs no join.
            var countQuery: PGQuery = "SELECT count(*) FROM intellectual_objects o"
            countQuery.append(whereSQL)
            return ListPage(rows: try connection.query(rows),
                            count: parameters.wantsCount ? try connection.query(countQuery).int(0, 0) : nil)
        }

        let headers = APICall.readSourceHeaders(fromReplica: fromReplica)
        guard let page else {
            // The institutions asked for are unknown or not the caller's: an empty list (API-49).
            var envelope = ListEnvelope(call: call, parameters: parameters, count: parameters.wantsCount ? 0 : nil,
                                        hasMore: false)
            return envelope.finish().adding(headers)
        }
        var envelope = ListEnvelope(call: call, parameters: parameters, count: page.count,
                                    hasMore: page.rows.rowCount > parameters.perPage)
        for row in 0..<min(page.rows.rowCount, parameters.perPage) {
            Representations.object.writeObject(page.rows, row: row, into: &envelope.writer)
        }
        return envelope.finish().adding(headers)
    }

    private struct ListPage {
        let rows: PGResult
        let count: Int?
    }

    /// Every filter of API-90 except `institution` (resolved with the tenant scope).
    private static func addFilters(_ filters: inout ListFilters) throws(RegistryError) {
        filters.exact("identifier", column: "o.identifier")
        filters.like("identifier_like", column: "o.identifier")
        filters.exact("bag_name", column: "o.bag_name")
        filters.like("bag_name_like", column: "o.bag_name")
        filters.like("title_like", column: "o.title")
        filters.like("description_like", column: "o.description")
        filters.exact("alt_identifier", column: "o.alt_identifier")
        filters.like("alt_identifier_like", column: "o.alt_identifier")
        filters.exact("bag_group_identifier", column: "o.bag_group_identifier")
        filters.like("bag_group_identifier_like", column: "o.bag_group_identifier")
        filters.exact("etag", column: "o.etag")
        filters.like("etag_like", column: "o.etag")
        try filters.vocabulary("access", column: "o.access", allowed: Vocabulary.access)
        try addState(&filters)
        try filters.vocabulary("storage_option", column: "o.storage_option", allowed: Vocabulary.storageOption)
        filters.exact("source_organization", column: "o.source_organization")
        filters.exact("internal_sender_identifier", column: "o.internal_sender_identifier")
        filters.like("internal_sender_identifier_like", column: "o.internal_sender_identifier")
        filters.exact("bagit_profile_identifier", column: "o.bagit_profile_identifier")
        if let format = filters.value("file_format") {
            filters.clause.add("""
                EXISTS (SELECT 1 FROM generic_files f WHERE f.intellectual_object_id = o.id AND f.state = 'A'
                        AND f.file_format = \(format))
                """)
        }
        try filters.range(after: "created_after", before: "created_before", column: "o.created_at")
        // [Compat] the spot-test worker's spelling of `created_before`; both may be given.
        if let before = try filters.timestamp("createdBefore") {
            filters.clause.add("o.created_at < \(before)")
        }
        try filters.range(after: "updated_after", before: "updated_before", column: "o.updated_at")
    }

    /// `state`: `A` by default, `D`, or `all` (no condition); repeatable (API-45a).
    private static func addState(_ filters: inout ListFilters) throws(RegistryError) {
        let given = filters.values(["state"])
        for value in given where value != "all" && !Vocabulary.state.contains(value) {
            throw .badRequest("invalid value for state: \(value)")
        }
        if given.isEmpty {
            filters.clause.add("o.state = 'A'")
        } else if !given.contains("all") {
            filters.clause.add("o.state = ANY(\(given))")
        }
    }

    /// API-90 sorts; each ends with `id` in the same direction (API-46).
    private static func order(_ sort: String?) throws(RegistryError) -> PGQuery {
        switch sort {
        case nil, "date": return " ORDER BY o.updated_at DESC, o.id DESC"
        case "created": return " ORDER BY o.created_at DESC, o.id DESC"
        case "identifier": return " ORDER BY o.identifier, o.id"
        case "name": return " ORDER BY o.bag_name, o.id"
        case "institution": return " ORDER BY i.identifier, o.id"
        case let other?: throw .badRequest("invalid sort: \(other)")
        }
    }
}

/// Which institutions' objects a list may return.
private enum InstitutionScope {
    /// An admin without an institution filter.
    case every
    /// The named institutions are unknown or not the caller's.
    case nothing
    /// A condition on `o.institution_id`.
    case only(PGQuery)
}

/// Intersects the path institution, the `institution` filter (identifiers or numeric ids, any of)
/// and the caller's tenant (DOM-93: non-admins see only their own institution) into one condition
/// on `o.institution_id`, which the per-institution indexes serve. An empty intersection lists
/// nothing without a query (an unknown or foreign institution in a filter is answered like that,
/// API-49, DOM-96a).
private func institutionScope(path: InstitutionRef?, filter: [String], caller: Caller,
                              on connection: PGConnection) throws -> InstitutionScope {
    var allowed: Set<Int64>? = nil
    if let path { allowed = [path.id] }
    if !caller.isAdmin { allowed = (allowed ?? [caller.institutionID]).intersection([caller.institutionID]) }
    if !filter.isEmpty {
        let ids = filter.compactMap { NumericID.parse($0) }
        let identifiers = filter.filter { NumericID.parse($0) == nil }
        let result = try connection.query(
            "SELECT id FROM institutions WHERE identifier = ANY(\(identifiers)) OR id = ANY(\(ids))")
        var named = Set<Int64>()
        for row in 0..<result.rowCount {
            if let id = try result.int64(row, 0) { named.insert(id) }
        }
        allowed = allowed.map { $0.intersection(named) } ?? named
    }
    guard let allowed else { return .every }
    if allowed.count == 1, let only = allowed.first { return .only("o.institution_id = \(only)") }
    if allowed.isEmpty { return .nothing }
    return .only("o.institution_id = ANY(\(Array(allowed).sorted()))")
}
