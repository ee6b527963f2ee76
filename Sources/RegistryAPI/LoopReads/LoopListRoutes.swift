import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The lists the ingest workers poll hardest, answered on the event loop (`ListOnLoop`).
///
/// Only pages of bounded cost go there: the loop's session runs its requests one after the other,
/// so one slow statement would delay every hot read behind it. A `*_like` filter, a sort other
/// than the default, or a large page goes to a worker.
enum LoopListRoutes {
    /// Route #34 `GET /items` (the workers' queue poll): its page needs no lookup at all.
    static let items = ListOnLoop(lookups: { (routed) -> (queries: [PGQuery], context: Void)? in
        guard let query = try? QueryParameters(rawQuery: routed.http.head.query),
              boundedCost(query, maxPerPage: 100) else { return nil }
        return ([], ())
    }, plan: { call, _, _ in
        let (sql, parameters, representation) = try WorkItemRoutes.listPage(call)
        return ListOnLoop.Page(sql: sql, parameters: parameters, representation: representation)
    })

    /// Route #25 `GET /events?object_identifier=…` (an object's events): the object is read with
    /// the authentication; other filters that name records (institution, file) go to a worker.
    /// The query is parsed into `EventListQuery` once, here, and handed to `plan` (hot path).
    static let events = ListOnLoop(lookups: { (routed) -> (queries: [PGQuery], context: EventListQuery)? in
        guard let parameters = try? QueryParameters(rawQuery: routed.http.head.query),
              boundedCost(parameters, maxPerPage: 500),
              let query = try? EventListQuery(parameters, pathInstitution: false),
              let identifier = commonCaseObject(query)
        else { return nil }
        return ([RecordLookups.objectQuery(identifierOrID: identifier)], query)
    }, plan: { call, query, lookups in
        // `query` was parsed from this request's query string before the authentication; the
        // pipeline's `authorize()` has checked the same string against the route's spec since.
        guard let identifier = commonCaseObject(query), lookups.count == 1 else { return nil }
        let object = try RecordLookups.visibleObject(lookups[0], to: call.caller)
        // nil: the object is missing or not visible, an empty list (API-49) the worker path answers.
        guard let object, let scope = try EventListScope(query, parent: nil, caller: call.caller,
                                                         lookups: OneObject(identifier: identifier, object: object))
        else { return nil }
        return ListOnLoop.Page(sql: EventList.pageSQL(query, scope), parameters: query.parameters,
                               representation: Representations.event)
    })

    /// No pattern filter, the default order, and at most `maxPerPage` rows (the workers ask for 100
    /// work items and 500 events of one object).
    private static func boundedCost(_ query: QueryParameters, maxPerPage: Int) -> Bool {
        guard !query.items.contains(where: { $0.name.hasSuffix("_like") }), !query.contains("sort") else { return false }
        guard let perPage = query.first("per_page") else { return true }
        return Int(perPage).map { $0 <= maxPerPage } ?? false
    }

    /// The object identifier of an events list filtered by one object and no other named record.
    private static func commonCaseObject(_ query: EventListQuery) -> String? {
        guard query.institutions.isEmpty, query.fileIdentifier == nil, let identifier = query.objectIdentifier,
              NumericID.parse(identifier) == nil
        else { return nil }
        return identifier
    }
}

/// The one object an events list's lookups read ahead; any other lookup is not the common case.
private struct OneObject: EventListLookups {
    struct NotReadAhead: Error {}

    let identifier: String
    let object: ObjectRef

    func institutionIDs(_ filter: InstitutionFilter) throws -> [Int64] { throw NotReadAhead() }

    func object(_ identifierOrID: String) throws -> ObjectRef? {
        guard identifierOrID == identifier else { throw NotReadAhead() }
        return object
    }

    func file(_ identifierOrID: String) throws -> FileRef? { throw NotReadAhead() }
}
