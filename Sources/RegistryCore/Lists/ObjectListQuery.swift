import Formats
import Postgres

/// The SQL of an object list (api-v2.md API-90, DOM-93): filters, tenant scoping and sort, shared
/// by `GET /api/v2/objects` and the HTML `/objects` page.
public struct ObjectListQuery: Sendable {
    public static let filterNames: Set<String> = [
        "institution", "institution_identifier", "identifier", "identifier_like", "bag_name", "bag_name_like",
        "title_like", "description_like", "alt_identifier", "alt_identifier_like", "bag_group_identifier",
        "bag_group_identifier_like", "etag", "etag_like", "access", "state", "storage_option", "source_organization",
        "internal_sender_identifier", "internal_sender_identifier_like", "bagit_profile_identifier", "file_format",
        "created_after", "created_before", "createdBefore", "updated_after", "updated_before",
    ]

    /// API-45a: these mean "any of" when repeated (`institution_identifier` counts as `institution`).
    public static let repeatable: Set<String> = ["institution", "institution_identifier", "access", "state", "storage_option"]

    /// API-90 sorts; each ends with `id` in the same direction (API-46).
    public static let sorts = ["date", "created", "identifier", "name", "institution"]

    public let orderBy: PGQuery
    /// Every condition except the institution scope (resolved against the database in `scope`).
    private let clause: WhereClause
    private let institutions: InstitutionFilter
    private let pathInstitution: InstitutionRef?
    private let caller: Caller

    /// Checks every value without the database (400 naming the parameter).
    /// - Parameter pathInstitution: the visible institution of `/objects/{inst}`, already resolved.
    public init(_ query: FilterValues, caller: Caller, pathInstitution: InstitutionRef?, sort: String?) throws(RegistryError) {
        orderBy = try Self.order(sort)
        var filters = ListFilters(query)
        try Self.addFilters(&filters)
        if caller.role == .institutionalUser {
            // DOM-93: inst users never see restricted objects, in lists either.
            filters.clause.add("o.access <> 'restricted'")
        }
        clause = filters.clause
        institutions = try InstitutionFilter(filters, names: ["institution", "institution_identifier"])
        self.pathInstitution = pathInstitution
        self.caller = caller
    }

    /// The WHERE clause with the institution scope; nil when the institutions asked for are unknown
    /// or not the caller's, so the list is empty without a query (API-49, DOM-96a).
    public func scope(on connection: PGConnection) throws -> WhereClause? {
        var scoped = clause
        switch try institutionScope(on: connection) {
        case .nothing: return nil
        case .every: break
        case .only(let condition): scoped.add(condition)
        }
        return scoped
    }

    /// One page with the given columns (`o` is the object, `i` its institution), and its count.
    /// Every condition names only `o` (institutions are resolved to ids first), so the count needs
    /// no join.
    public func page(selectList: PGQuery, _ scope: WhereClause, limit: Int, offset: Int) -> ListSQL {
        ListSQL(select: selectList, from: " FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id",
                countFrom: " FROM intellectual_objects o", where: scope, orderBy: orderBy, limit: limit, offset: offset)
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
        // [Compat] the spot-test worker's spelling of `created_before`; as its alias, the two
        // together are a repeat (API-45a, `RepeatedParameters`).
        if let before = try filters.timestamp("createdBefore") {
            filters.clause.add("o.created_at < \(before)")
        }
        try filters.range(after: "updated_after", before: "updated_before", column: "o.updated_at")
    }

    /// `state`: `A` by default, `D`, or `all` (no condition); repeatable (API-45a).
    private static func addState(_ filters: inout ListFilters) throws(RegistryError) {
        let given = filters.values(["state"])
        for value in given where value != "all" && !Vocabulary.state.containsExactly(value) {
            throw .badRequest("invalid value for state: \(value)")
        }
        if given.isEmpty {
            filters.clause.add("o.state = 'A'")
        } else if !given.contains("all") {
            filters.clause.add("o.state = ANY(\(given))")
        }
    }

    private static func order(_ sort: String?) throws(RegistryError) -> PGQuery {
        switch sort {
        case nil, "date": return " ORDER BY o.updated_at DESC, o.id DESC"
        case "created": return " ORDER BY o.created_at DESC, o.id DESC"
        case "identifier": return " ORDER BY o.identifier, o.id"
        // The index holds the first 512 characters of bag_name (migration 0006: longer than a btree entry).
        case "name": return " ORDER BY left(o.bag_name, 512), o.bag_name, o.id"
        case "institution": return " ORDER BY i.identifier, o.id"
        case let other?: throw .badRequest("invalid sort: \(other)")
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

    /// Intersects the path institution, the `institution` filter (identifiers or numeric ids, any
    /// of) and the caller's tenant (DOM-93: non-admins see only their own institution) into one
    /// condition on `o.institution_id`, which the per-institution indexes serve.
    private func institutionScope(on connection: PGConnection) throws -> InstitutionScope {
        var allowed: Set<Int64>? = nil
        if let pathInstitution { allowed = [pathInstitution.id] }
        if !caller.isAdmin { allowed = (allowed ?? [caller.institutionID]).intersection([caller.institutionID]) }
        if !institutions.isEmpty {
            let named = Set(try institutions.visibleIDs(caller: caller, on: connection))
            allowed = allowed.map { $0.intersection(named) } ?? named
        }
        guard let allowed else { return .every }
        if allowed.count == 1, let only = allowed.first { return .only("o.institution_id = \(only)") }
        if allowed.isEmpty { return .nothing }
        return .only("o.institution_id = ANY(\(Array(allowed).sorted()))")
    }
}
