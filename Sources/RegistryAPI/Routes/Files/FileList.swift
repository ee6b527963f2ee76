import Formats
import HTTPServer
import Postgres
import RegistryCore

/// The file list (api-v2.md API-95, route #12): `GET /files`, `/files/{inst}`, `/files/{obj}`.
enum FileList {
    static let filterNames: Set<String> = [
        "institution", "institution_identifier", "intellectual_object_identifier", "object_identifier",
        "intellectual_object_id", "identifier", "identifier_like", "uri", "uri_like", "file_format", "state",
        "storage_option", "not_checked_since", "created_after", "created_before", "updated_after", "updated_before",
    ]
    /// API-45a: these mean "any of" when repeated.
    static let repeatable: Set<String> = ["institution", "institution_identifier", "state", "storage_option"]
    static let query = QuerySpec(filterNames.union(ListParameters.names).union(FileIncludes.names), repeatable: repeatable)

    /// A parent named in the path (already found visible).
    enum PathParent {
        case none
        case institution(InstitutionRef)
        case object(ObjectRef)
    }

    static func respond(_ call: APICall, parent: PathParent) throws -> HTTPResponse {
        let query = try call.query
        let parameters = try ListParameters.parse(query)
        let includes = try FileIncludes.parse(query)
        let order = try orderBy(parameters.sort)
        var filters = ListFilters(query)
        try addFieldFilters(&filters)
        let caller = call.caller

        let page = try call.database.read { connection -> (list: ListPage, children: FileChildren)? in
            guard var objects = try ParentFilters.objects(
                filters, identifierNames: ["intellectual_object_identifier", "object_identifier"],
                idName: "intellectual_object_id", caller: caller, on: connection)
            else { return nil }
            switch parent {
            case .none: break
            case .institution(let institution): filters.clause.add("f.institution_id = \(institution.id)")
            case .object(let object): objects.append(object)
            }
            for object in objects { filters.clause.add("f.intellectual_object_id = \(object.id)") }
            let institutions = try InstitutionFilter(filters, names: ["institution", "institution_identifier"])
            if let condition = institutions.condition(column: "f.institution_id", caller: caller) { filters.clause.add(condition) }
            // DOM-93 tenant scoping, unless a visible parent object decides (DOM-94).
            let from = TenantScope.fromFiles(filters: &filters, caller: caller, hasParent: !objects.isEmpty,
                                             base: " FROM generic_files f")
            var rowsFrom = from
            if order.needsInstitution { rowsFrom.append(" JOIN institutions i ON i.id = f.institution_id") }
            let sql = ListSQL(select: Representations.file.selectList, from: rowsFrom, countFrom: from,
                              where: filters.clause, orderBy: order.sql(oneObject: !objects.isEmpty),
                              limit: parameters.perPage + 1, offset: parameters.offset)
            let list = try ListPage(sql, parameters, on: connection)
            var fileIDs: [Int64] = []
            for row in 0..<min(list.rows.rowCount, parameters.perPage) {
                if let id = try list.rows.int64(row, 0) { fileIDs.append(id) }
            }
            let children = includes.isEmpty ? FileChildren()
                : try FileChildren.load(fileIDs: fileIDs, includes: includes, on: connection)
            return (list, children)
        }

        // page nil: a parent filter naming an unknown or invisible record, an empty list (API-49).
        let children = page?.children ?? FileChildren()
        return try ListEnvelope.response(call, parameters, page?.list) { rows, row, writer in
            try children.writeFile(rows, row: row, into: &writer)
        }
    }

    /// Every filter that is a plain condition on the file row.
    private static func addFieldFilters(_ filters: inout ListFilters) throws(RegistryError) {
        filters.exact("identifier", column: "f.identifier")
        filters.like("identifier_like", column: "f.identifier")
        filters.exact("uri", column: "f.uri")
        filters.like("uri_like", column: "f.uri")
        filters.exact("file_format", column: "f.file_format")
        try StateFilter.add(&filters)
        try SingleOrAnyFilter.vocabulary(&filters, "storage_option", column: "f.storage_option",
                                         allowed: Vocabulary.storageOption)
        if let cutoff = try filters.timestamp("not_checked_since") {
            filters.clause.add("f.last_fixity_check <= \(cutoff)")
        }
        try filters.range(after: "created_after", before: "created_before", column: "f.created_at")
        try filters.range(after: "updated_after", before: "updated_before", column: "f.updated_at")
    }

    private struct Order {
        /// The ORDER BY clause of every sort but the identifier's.
        var fixed: PGQuery = ""
        var needsInstitution = false
        /// By identifier: the keys depend on whether the list is one object's (FileOrder).
        var byIdentifier = false

        func sql(oneObject: Bool) -> PGQuery {
            guard byIdentifier else { return fixed }
            return " ORDER BY \(oneObject ? FileOrder.withinObject : FileOrder.acrossObjects), f.id"
        }
    }

    /// API-95 sorts; each ends with `id` in the same direction (API-46). By identifier, the keys
    /// are FileOrder's, which the indexes hold: without them every page would sort all of the
    /// object's or institution's files.
    private static func orderBy(_ sort: String?) throws(RegistryError) -> Order {
        switch sort ?? "identifier" {
        case "identifier", "name": Order(byIdentifier: true)
        case "date": Order(fixed: " ORDER BY f.updated_at DESC, f.id DESC")
        case "last_fixity_check": Order(fixed: " ORDER BY f.last_fixity_check, f.id")
        case "size": Order(fixed: " ORDER BY f.size DESC, f.id DESC")
        case "institution": Order(fixed: " ORDER BY i.identifier, f.identifier, f.id", needsInstitution: true)
        case let other: throw .badRequest("invalid sort: \(other)")
        }
    }
}
