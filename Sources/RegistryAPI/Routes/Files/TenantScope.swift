import HTTPServer
import Postgres
import RegistryCore

/// DOM-93 tenant scoping of lists reached through files (files, checksums, storage records), as
/// SQL conditions — never a filter on fetched rows. Without a visible parent, non-admins see their
/// own institution's rows, and institutional users none of a `restricted` object. With a visible
/// parent (DOM-94) the parent's children are listed whatever institution owns them.
enum TenantScope {
    /// The FROM clause `base` (which must bring `generic_files f`), joined with the object when
    /// the restricted rule needs it; adds the conditions to `filters`.
    static func fromFiles(filters: inout ListFilters, caller: Caller, hasParent: Bool, base: StaticString) -> PGQuery {
        var from: PGQuery = ""
        from.appendUnescaped(base)
        guard !hasParent, !caller.isAdmin else { return from }
        filters.clause.add("f.institution_id = \(caller.institutionID)")
        if !caller.isInstitutionalAdmin {
            from.appendUnescaped(" JOIN intellectual_objects o ON o.id = f.intellectual_object_id")
            filters.clause.add("o.access <> 'restricted'")
        }
        return from
    }
}

/// Writing a flat list page (no nested lists) straight from the result cells.
enum ListWriting {
    /// `page` nil: a filter named an unknown or invisible parent, so the list is empty (API-49).
    static func envelope(_ call: APICall, _ parameters: ListParameters, _ page: (rows: PGResult, count: Int?)?,
                         _ representation: Representation) -> HTTPResponse {
        guard let page else {
            var envelope = ListEnvelope(call: call, parameters: parameters, count: parameters.wantsCount ? 0 : nil,
                                        hasMore: false)
            return envelope.finish()
        }
        var envelope = ListEnvelope(call: call, parameters: parameters, count: page.count,
                                    hasMore: page.rows.rowCount > parameters.perPage)
        for row in 0..<min(page.rows.rowCount, parameters.perPage) {
            representation.writeObject(page.rows, row: row, into: &envelope.writer)
        }
        return envelope.finish()
    }
}
