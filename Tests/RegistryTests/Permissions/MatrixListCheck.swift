import Foundation
import TestSupport

/// The tenant-scoping checks on an allowed list answer (domain.md DOM-93, DOM-94, DOM-96a): no row
/// of another institution for a non-admin, no `restricted` object's records for an inst user, only
/// the parent's rows under a parent the caller may see, and an empty result for a filter naming
/// something the caller may not see.
struct MatrixListCheck {
    /// Institution id → identifier (rows carry `institution_id`).
    let institutionsByID: [Int: String]

    private struct RowFacts {
        let institution: String?
        let access: String?
        /// The object or file identifier a record row names.
        let key: String?
        let row: [String: Any]
    }

    func problems(_ row: MatrixRow, caller: MatrixCaller, target: MatrixTarget, visible: Bool,
                  response: TestHTTPResponse) -> [String] {
        if row.route == "items.show", let item = try? response.jsonObject(),
           (caller.role == .admin) != (item["node"] != nil && item["pid"] != nil) {
            return ["work item `node`/`pid` must be present for admins only"]
        }
        let facts: [RowFacts]
        do {
            facts = try rows(of: row.rows, in: response)
        } catch {
            return ["unreadable list: \(error)"]
        }
        // `count` must not betray rows the results leave out (every list here fits one page of 1000).
        // The audit log is exempt: the matrix itself appends to it between the page and the count.
        var problems: [String] = []
        if row.rows != .alerts, row.route != "audit.log", let count = (try? response.jsonObject())?["count"] as? Int, facts.count < 1000, count != facts.count {
            problems.append("count \(count) but \(facts.count) rows")
        }
        guard visible else {
            return facts.isEmpty ? problems : problems + ["a filter naming something the caller may not see gave \(facts.count) rows"]
        }
        var parentObject: String?
        var parentInstitution: String?
        switch row.named {
        case .object: parentObject = target.objectIdentifier
        case .institution: parentInstitution = target.institution
        default: break
        }
        for fact in facts {
            if let parentObject {
                // DOM-94: the parent's records, whichever institution owns it.
                if let key = fact.key, key == parentObject || key.hasPrefix(parentObject + "/") { continue }
                problems.append("row \(fact.key ?? "?") is not under \(parentObject)")
                continue
            }
            if let parentInstitution, fact.institution != parentInstitution {
                problems.append("row of \(fact.institution ?? "no institution") under the filter \(parentInstitution)")
            }
            if caller.role != .admin && fact.institution != caller.institution {
                problems.append("row of \(fact.institution ?? "no institution") (\(fact.key ?? "-")) shown to \(caller.kind.rawValue)")
            }
            if caller.role == .institutionalUser && fact.access == "restricted" {
                problems.append("restricted record \(fact.key ?? "?") shown to an institutional user")
            }
            if row.route.hasPrefix("items.") && (caller.role == .admin) != (fact.row["node"] != nil && fact.row["pid"] != nil) {
                problems.append("work item `node`/`pid` must be present for admins only")
            }
        }
        let hasParent = parentObject != nil || parentInstitution != nil
        if hasParent && row.parentHasRows && row.rows != .none && facts.isEmpty {
            problems.append("no rows under a parent the caller may see")
        }
        if !hasParent && row.mustSeeOwnRows {
            let seen = Set(facts.compactMap(\.institution))
            let wanted: Set<String> = caller.role == .admin ? Set(MatrixWorld.institutions) : [caller.institution]
            if !wanted.isSubset(of: seen) { problems.append("rows of \(wanted.sorted()) expected, saw \(seen.sorted())") }
        }
        return problems
    }

    private func rows(of shape: MatrixRows, in response: TestHTTPResponse) throws -> [RowFacts] {
        switch shape {
        case .none:
            return []
        case .institutions:
            return try response.results().map { RowFacts(institution: $0["identifier"] as? String, access: nil, key: nil, row: $0) }
        case .records(let field):
            return try response.results().map { record($0, field: field) }
        case .ndjsonRecords(let field):
            return try response.text.split(separator: "\n").map { line in
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else {
                    throw RawHTTPError.malformed("NDJSON line is not an object: \(line.prefix(200))")
                }
                return record(object, field: field)
            }
        case .tenant:
            return try response.results().map(tenant)
        case .alerts:
            return try response.jsonObject().values.flatMap { value in ((value as? [[String: Any]]) ?? []).map(tenant) }
        }
    }

    /// The world names objects `<institution>/<access> bag` (or `… spare`), so a record's identifier
    /// tells its institution and access level.
    private func record(_ row: [String: Any], field: String) -> RowFacts {
        let key = row[field] as? String
        let parts = (key ?? "").split(separator: "/")
        let access = parts.count > 1 ? parts[1].split(separator: " ").first.map(String.init) : nil
        return RowFacts(institution: parts.first.map(String.init), access: access, key: key, row: row)
    }

    private func tenant(_ row: [String: Any]) -> RowFacts {
        let institution = (row["institution_id"] as? Int).flatMap { institutionsByID[$0] }
        let key = (row["intellectual_object_identifier"] ?? row["object_identifier"]) as? String
        return RowFacts(institution: institution, access: nil, key: key, row: row)
    }
}
