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

    /// The FROM clause of a list of files' children (checksums, storage records), `base` bringing
    /// `generic_files f`. Files named by `generic_file_identifier` / `generic_file_id` each add
    /// `<fileColumn> = <id>` and, being visible, decide alone (DOM-94); without them the tenant
    /// scope of `fromFiles` applies. nil when a named file is unknown or invisible: the list is
    /// empty (API-49).
    static func fromFileChildren(filters: inout ListFilters, caller: Caller, fileColumn: StaticString,
                                 base: StaticString, on connection: PGConnection) throws -> PGQuery? {
        guard let files = try ParentFilters.files(filters, caller: caller, on: connection) else { return nil }
        for file in files {
            var condition: PGQuery = ""
            condition.appendUnescaped(fileColumn)
            condition.append(" = \(file.id)")
            filters.clause.add(condition)
        }
        return fromFiles(filters: &filters, caller: caller, hasParent: !files.isEmpty, base: base)
    }
}
