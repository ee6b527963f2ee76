import Postgres

/// The SQL conditions of an event list: parents (path and filters), the AUD-1 filters, and the
/// caller's visibility (DOM-93, DOM-94), as bound parameters except a single event type and the
/// outcomes, which are literals (EventFilterLiterals).
///
/// Index use (AUD-4, see the migration): an object parent is `e.intellectual_object_id = $n`, a
/// file parent `e.generic_file_id = $n`, a single institution `e.institution_id = $n` — plain
/// equalities, never `= ANY` for one value, so `ORDER BY e.date_time DESC, e.id DESC LIMIT n` is a
/// backward scan of the (parent, date_time, id) index instead of a sort.
public struct EventListScope: Sendable {
    public private(set) var clause = WhereClause()
    /// Inst users' unparented lists must exclude `restricted` objects' events: join the objects.
    public private(set) var joinsObjects = false
    /// Every row belongs to one institution (then `sort=sequence` needs no institution order).
    public private(set) var singleInstitution = false
    /// The institutions an `institution` filter named (visible ones only); empty without one.
    public private(set) var filteredInstitutionIDs: [Int64] = []

    /// nil when a filter names nothing the caller may see (the list is then empty, API-49).
    public init?(_ query: EventListQuery, parent: EventListParent?, caller: Caller, on connection: PGConnection) throws {
        try self.init(query, parent: parent, caller: caller, lookups: ConnectionLookups(connection: connection, caller: caller))
    }

    /// The same, with the records the filters name found by `lookups` (`ListOnLoop` has them
    /// already, read in one pipeline with the authentication).
    public init?(_ query: EventListQuery, parent: EventListParent?, caller: Caller,
                 lookups: some EventListLookups) throws {
        var parentShown = false
        switch parent {
        case .institution(let institution)?:
            clause.add("e.institution_id = \(institution.id)")
            singleInstitution = true
        case .object(let object)?:
            clause.add("e.intellectual_object_id = \(object.id)")
            parentShown = true
        case .file(let file)?:
            clause.add("e.generic_file_id = \(file.id)")
            parentShown = true
        case nil:
            break
        }

        if !query.institutions.isEmpty {
            // Another institution is, for a non-admin, the same as an unknown one (DOM-93).
            let ids = try lookups.institutionIDs(query.institutions)
            if ids.isEmpty { return nil }
            filteredInstitutionIDs = ids
            if ids.count == 1 {
                clause.add("e.institution_id = \(ids[0])")
                singleInstitution = true
            } else {
                clause.add("e.institution_id = ANY(\(ids))")
            }
        }
        if let identifier = query.objectIdentifier {
            guard NumericID.parse(identifier) == nil,
                  let object = try lookups.object(identifier)
            else { return nil }
            clause.add("e.intellectual_object_id = \(object.id)")
            parentShown = true
        }
        if let identifier = query.fileIdentifier {
            guard NumericID.parse(identifier) == nil,
                  let file = try lookups.file(identifier)
            else { return nil }
            clause.add("e.generic_file_id = \(file.id)")
            parentShown = true
        }
        // API-49: an identifier that is not a UUID names no event (the column is a uuid, so it is
        // not compared at all).
        if let identifier = query.identifier, !UUIDText.isValid(identifier) { return nil }
        // An object or file parent lies in one institution.
        if parentShown { singleInstitution = true }

        addFilters(query)

        // DOM-93: without a visible object or file parent, a non-admin sees their own institution's
        // events only, and an inst user none of `restricted` objects. With one, the parent's show
        // rule already decided (DOM-94): all its events share its access level.
        if !parentShown && !caller.isAdmin {
            clause.add("e.institution_id = \(caller.institutionID)")
            singleInstitution = true
            if caller.role == .institutionalUser {
                joinsObjects = true
                clause.add("o.access <> 'restricted'")
            }
        }
    }

    private mutating func addFilters(_ query: EventListQuery) {
        if query.objectLevel { clause.add("e.generic_file_id IS NULL") }
        if let identifier = query.identifier { clause.add("e.identifier = \(identifier)::uuid") }
        // Literals, not parameters: see EventFilterLiterals.
        if !query.eventTypes.isEmpty { clause.add(EventFilterLiterals.eventTypeCondition(query.eventTypes)) }
        if !query.outcomes.isEmpty { clause.add(EventFilterLiterals.outcomeCondition(query.outcomes)) }
        if let agent = query.agent { clause.add("e.agent = \(agent)") }
        // API-48: `*_after` inclusive, `*_before` exclusive.
        if let after = query.dateTimeAfter { clause.add("e.date_time >= \(after)") }
        if let before = query.dateTimeBefore { clause.add("e.date_time < \(before)") }
        if let after = query.createdAfter { clause.add("e.created_at >= \(after)") }
        if let before = query.createdBefore { clause.add("e.created_at < \(before)") }
        if let minimum = query.sequenceMin { clause.add("e.sequence >= \(minimum)") }
        if let maximum = query.sequenceMax { clause.add("e.sequence <= \(maximum)") }
    }
}

/// How `EventListScope` finds the records its filters name: each visible to the caller, or nil.
public protocol EventListLookups {
    /// The visible institutions the filter names (`InstitutionFilter.visibleIDs`).
    func institutionIDs(_ filter: InstitutionFilter) throws -> [Int64]
    func object(_ identifierOrID: String) throws -> ObjectRef?
    func file(_ identifierOrID: String) throws -> FileRef?
}

/// The lookups as statements on a connection.
private struct ConnectionLookups: EventListLookups {
    let connection: PGConnection
    let caller: Caller

    func institutionIDs(_ filter: InstitutionFilter) throws -> [Int64] {
        try filter.visibleIDs(caller: caller, on: connection)
    }

    func object(_ identifierOrID: String) throws -> ObjectRef? {
        try RecordLookups.object(identifierOrID: identifierOrID, caller: caller, on: connection)
    }

    func file(_ identifierOrID: String) throws -> FileRef? {
        try RecordLookups.file(identifierOrID: identifierOrID, caller: caller, on: connection)
    }
}

/// The record a list's path names, already found visible.
public enum EventListParent: Sendable {
    case institution(InstitutionRef)
    case object(ObjectRef)
    case file(FileRef)

    public var isInstitution: Bool {
        if case .institution = self { return true }
        return false
    }
}

/// The SQL of one page of an event list and of its count, with the caller's columns (`e` is the
/// event, `i` its institution).
public enum EventListSQL {
    /// One page (per_page + 1 rows decide `next`, API-43) and its count, which needs no
    /// institution join.
    public static func page(selectList: PGQuery, _ query: EventListQuery, _ scope: EventListScope) -> ListSQL {
        ListSQL(select: selectList, from: from(institutions: true, objects: scope.joinsObjects),
                countFrom: from(institutions: false, objects: scope.joinsObjects), where: scope.clause,
                orderBy: PGQuery(stringLiteral: query.sort.orderBy(singleInstitution: scope.singleInstitution)),
                limit: query.parameters.perPage + 1, offset: query.parameters.offset)
    }

    /// Every matching event, in order, without paging (lists add LIMIT and OFFSET; exports read it
    /// through a cursor, auditor.md AUD-10).
    public static func select(selectList: PGQuery, where clause: WhereClause, joinsObjects: Bool,
                              orderBy: StaticString) -> PGQuery {
        var sql: PGQuery = "SELECT "
        sql.append(selectList)
        sql.append(from(institutions: true, objects: joinsObjects))
        sql.append(clause.sql)
        sql.appendUnescaped(orderBy)
        return sql
    }

    /// `count(*)` of at most `cap` rows: pages over millions of events stay fast (html.md WEB-28)
    /// and say "more than" instead of an exact figure.
    public static func cappedCount(_ scope: EventListScope, cap: Int) -> PGQuery {
        var sql: PGQuery = "SELECT count(*) FROM (SELECT 1"
        sql.append(from(institutions: false, objects: scope.joinsObjects))
        sql.append(scope.clause.sql)
        sql.append(" LIMIT \(cap)) capped")
        return sql
    }

    /// ` FROM premis_events e`, joined with the institution (`i`, named by every select list and
    /// the `sequence` order) and with the object when a condition names `o`.
    private static func from(institutions: Bool, objects: Bool) -> PGQuery {
        var from: PGQuery = " FROM premis_events e"
        if institutions { from.appendUnescaped(" JOIN institutions i ON i.id = e.institution_id") }
        if objects { from.appendUnescaped(" JOIN intellectual_objects o ON o.id = e.intellectual_object_id") }
        return from
    }
}
