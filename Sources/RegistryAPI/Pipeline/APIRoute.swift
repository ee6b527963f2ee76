import HTTPServer
import RegistryCore
import Routing

/// One row of the route table of api-v2.md §9.
public struct APIRoute: Sendable {
    /// Which body limit applies (operations.md OPS-51).
    public enum BodyLimit: Sendable {
        case standard
        /// `create_batch`, `trigger_bulk_delete`: MAX_BATCH_BODY_BYTES.
        case batch
        /// `item_state`: MAX_STATE_BODY_BYTES.
        case state
    }

    public typealias Handler = @Sendable (inout APICall) throws -> HTTPResponse

    /// Stable name (`objects.show`): the key of the permission table and of the route-coverage test.
    public let name: String
    public let methods: [HTTPMethod]
    /// The path after `/api/v2` (`/objects/{obj}`).
    public let path: String
    /// Methods also served under `/member-api/v2` (api-v2.md API-80); empty = not a member route.
    public let memberMethods: [HTTPMethod]
    public let bodyLimit: BodyLimit
    /// The E column: an empty body is accepted (API-21).
    public let emptyBodyAllowed: Bool
    /// The roles that may perform the action, from the one permission table (PermissionTable,
    /// domain.md §7.2); empty — denied to everyone — for a route the table does not list.
    public var roles: Set<Role> { PermissionTable.roles(for: name) }
    /// True when the path names a record whose visibility must be checked before the role
    /// (DOM-96b: 404 before 403); the handler then calls `APICall.authorize()` itself after
    /// resolving it. False: the pipeline authorizes before the handler runs.
    public let namesRecord: Bool
    /// API-81 [Compat]: the route's GET changes data (#10, #20, #47–#50, member #7/#17): exactly the
    /// routes that take GET together with POST or PUT (derived, so no such route can forget it).
    /// Such a GET (and HEAD, which API-7 answers like GET) never reads the replica and is never run
    /// twice.
    public var getChangesData: Bool {
        let all = methods + memberMethods
        return all.contains(.get) && all.contains { $0 == .post || $0 == .put }
    }
    /// API-81: every answer to the route's GET or HEAD says `Deprecation: true` (all state-changing
    /// GETs but #10, #20 and #49).
    public let getIsDeprecated: Bool
    /// Query parameters this route accepts besides the list parameters (API-45).
    public let query: QuerySpec
    public let constraints: [String: SegmentConstraint]
    public let handler: Handler

    public init(_ name: String, _ methods: [HTTPMethod], _ path: String, member: [HTTPMethod] = [],
                body: BodyLimit = .standard, emptyBody: Bool = false, namesRecord: Bool,
                getIsDeprecated: Bool = false, query: QuerySpec = .none, constraints: [String: SegmentConstraint] = [:], handler: @escaping Handler) {
        self.name = name
        self.methods = methods
        self.path = path
        self.memberMethods = member
        self.bodyLimit = body
        self.emptyBodyAllowed = emptyBody
        self.namesRecord = namesRecord
        self.getIsDeprecated = getIsDeprecated
        self.query = query
        self.constraints = constraints
        self.handler = handler
    }
}

/// The query parameters a route accepts (api-v2.md API-45, API-45a).
public struct QuerySpec: Sendable {
    /// Accepted names (aliases included).
    public var names: Set<String>
    /// Names that may repeat (OR semantics).
    public var repeatable: Set<String>

    public init(_ names: Set<String>, repeatable: Set<String> = []) {
        self.names = names
        self.repeatable = repeatable
    }

    public static let none = QuerySpec([])

    /// API-45a: in list and export filters these may repeat and mean "any of" (aliases count as
    /// their filter).
    public static let repeatableFilters: Set<String> = [
        "state", "access", "storage_option", "event_type", "outcome", "status", "stage", "item_action", "action",
        "institution", "institution_identifier", "institution_id",
    ]

    /// A list route's parameters: its filters (repeatable per API-45a) plus page, per_page, sort, count.
    public static func list(_ filters: Set<String>) -> QuerySpec {
        QuerySpec(filters.union(ListParameters.names), repeatable: filters.intersection(repeatableFilters))
    }
}
