import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// `GET /fixity/overdue?days=N[&institution=&storage_option=]` (auditor.md AUD-30): active files
/// whose last fixity check is more than N days old, oldest first, each the file representation
/// plus `days_since_last_fixity_check` (whole days, rounded down). Tenant-scoped like the file
/// list (domain.md §7.2: all / own / own without `restricted`).
enum FixityOverdue {
    static let filterNames: Set<String> = ["days", "institution", "institution_identifier", "storage_option"]
    /// API-45a.
    static let repeatable: Set<String> = ["institution", "institution_identifier", "storage_option"]
    static let querySpec = QuerySpec(filterNames.union(ListParameters.names), repeatable: repeatable)

    static func respond(_ call: inout APICall) throws -> HTTPResponse {
        let overdue = try OverdueQuery(try call.query, caller: call.caller)
        let parameters = overdue.parameters
        let page = try call.database.read { try ListPage(overdue.sql, parameters, on: $0) }
        let daysColumn = Representations.file.columns.count
        return ListEnvelope.response(call, parameters, page) { rows, row, writer in
            writer.beginObject()
            Representations.file.writeMembers(rows, row: row, into: &writer)
            writer.key("days_since_last_fixity_check")
            writer.integerCell(rows, row, daysColumn)
            writer.endObject()
        }
    }

    /// The SQL of one overdue page, built from the query string without the database (every bad
    /// value is a 400 first). Internal: the query-plan test EXPLAINs exactly these statements.
    struct OverdueQuery {
        let parameters: ListParameters
        /// The file representation plus `days_since_last_fixity_check`, one row more than a page,
        /// and the count.
        let sql: ListSQL

        init(_ query: QueryParameters, caller: Caller) throws(RegistryError) {
            parameters = try ListParameters.parse(query)
            // The order is fixed (AUD-30); its one name is accepted so generic clients may send it.
            if let sort = parameters.sort, sort != "last_fixity_check" { throw .badRequest("invalid sort: \(sort)") }
            let days = try daysParameter(query)
            var filters = ListFilters(query)
            // Literal, not bound: the partial index (last_fixity_check, id) WHERE state = 'A' is
            // usable only when the planner can prove its predicate, also under a generic plan.
            filters.clause.add("f.state = 'A'")
            // One value as `=`: the index (state, storage_option, last_fixity_check, id) then
            // delivers the order directly.
            try SingleOrAnyFilter.vocabulary(&filters, "storage_option", column: "f.storage_option",
                                             allowed: Vocabulary.storageOption)
            let institutions = try InstitutionFilter(filters, names: ["institution", "institution_identifier"])
            if let condition = institutions.condition(column: "f.institution_id", caller: caller) { filters.clause.add(condition) }
            // The database's clock for both the cutoff and the day count, so they agree.
            filters.clause.add("f.last_fixity_check < now() - make_interval(days => \(Int32(days)))")
            // DOM-93: no parent, so non-admins see their own institution's files, inst users none
            // of a `restricted` object.
            let from = TenantScope.fromFiles(filters: &filters, caller: caller, hasParent: false,
                                             base: " FROM generic_files f")
            var selectList = Representations.file.selectList
            selectList.append(", floor(extract(epoch FROM now() - f.last_fixity_check) / 86400)::bigint")
            sql = ListSQL(select: selectList, from: from, where: filters.clause, orderBy: " ORDER BY f.last_fixity_check, f.id",
                          limit: parameters.perPage + 1, offset: parameters.offset)
        }
    }

    /// AUD-30: required, an integer 1–36500.
    private static func daysParameter(_ query: QueryParameters) throws(RegistryError) -> Int {
        guard let text = query.first("days"), !text.isEmpty else { throw .badRequest("days is required") }
        guard let days = NumericID.parse(text), (1...36500).contains(days) else {
            throw .badRequest("days must be an integer between 1 and 36500")
        }
        return Int(days)
    }
}
