import Postgres
import RegistryCore

/// The file `state` filter (api-v2.md API-95): `A` (the default), `D` or `all`, repeatable (API-45a).
enum StateFilter {
    static let allowed: Set<String> = ["A", "D", "all"]

    /// The condition is literal SQL text (`f.state = 'A'`), not a bound parameter: the partial
    /// index `generic_files_active_fixity_idx … WHERE state = 'A'` is only usable when a generic
    /// plan can prove its predicate.
    static func add(_ filters: inout ListFilters) throws(RegistryError) {
        let given = filters.values(["state"])
        for value in given where !allowed.contains(value) {
            throw .badRequest("invalid value for state: \(value)")
        }
        if given.contains("all") { return }
        let states = Set(given.isEmpty ? ["A"] : given)
        if states == ["A"] {
            filters.clause.add("f.state = 'A'")
        } else if states == ["D"] {
            filters.clause.add("f.state = 'D'")
        }
    }
}

/// A closed-vocabulary filter written `column = $1` for one value and `= ANY($1)` for several.
///
/// Performance: the fixity queue (`storage_option=Standard&sort=last_fixity_check`, domain.md §8.3)
/// relies on the index (state, storage_option, last_fixity_check, id) delivering rows already in
/// order; with `= ANY(…)` PostgreSQL cannot assume one storage option and sorts every match.
enum SingleOrAnyFilter {
    static func vocabulary(_ filters: inout ListFilters, _ name: String, column: StaticString,
                           allowed: Set<String>) throws(RegistryError) {
        let given = filters.values([name])
        for value in given where !allowed.contains(value) {
            throw .badRequest("invalid value for \(name): \(value)")
        }
        guard !given.isEmpty else { return }
        var condition: PGQuery = ""
        condition.appendUnescaped(column)
        if Set(given).count == 1 {
            condition.append(" = \(given[0])")
        } else {
            condition.append(" = ANY(\(given)::text[])")
        }
        filters.clause.add(condition)
    }
}
