import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// One HTML route (html.md §4–§6).
public struct WebRoute: Sendable {
    public enum Access: Sendable {
        /// `/login`, `/password/*`: no session needed; POSTs carry the double-submit token (WEB-15).
        case anonymous
        /// Everything else: a session, else a redirect to `/login` (WEB-10); POSTs carry the
        /// session's token.
        case signedIn
    }

    public typealias Handler = @Sendable (inout WebCall) throws -> HTTPResponse

    /// Stable name (`objects.show`), used in logs.
    public let name: String
    public let methods: [HTTPMethod]
    public let path: String
    public let access: Access
    /// Roles that may use the route at all (domain.md §7.2 refines per record).
    public let roles: Set<Role>
    /// The path names a record whose visibility is checked before the role (DOM-96b: 404 before
    /// 403); the handler then calls `WebCall.authorize()` itself. False: the pipeline authorizes
    /// before the handler runs.
    public let namesRecord: Bool
    public let constraints: [String: SegmentConstraint]
    public let handler: Handler

    public init(_ name: String, _ methods: [HTTPMethod], _ path: String, access: Access = .signedIn,
                roles: Set<Role> = WebRoute.everyone, namesRecord: Bool = false,
                constraints: [String: SegmentConstraint] = [:], handler: @escaping Handler) {
        self.name = name
        self.methods = methods
        self.path = path
        self.access = access
        self.roles = roles
        self.namesRecord = namesRecord
        self.constraints = constraints
        self.handler = handler
    }

    public static let everyone: Set<Role> = Set(Role.allCases)
    public static let admins: Set<Role> = [.admin]
    public static let adminsAndInstitutionalAdmins: Set<Role> = [.admin, .institutionalAdmin]

    /// A numeric id segment (`/items/{id}`): anything else is not this route (404).
    public static let numeric = SegmentConstraint("numeric") { NumericID.parse($0) != nil }
}
