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
    /// Roles that may use the route at all, from the one permission table (`web.<name>` in
    /// PermissionTable; domain.md §7.2 refines per record). A signed-in route the table does not list
    /// is denied to every role (fail closed).
    public var roles: Set<Role> {
        access == .anonymous ? Set(Role.allCases) : PermissionTable.roles(for: "web." + name)
    }
    /// The path names a record whose visibility is checked before the role (DOM-96b: 404 before
    /// 403); the handler then calls `WebCall.authorize()` itself. False: the pipeline authorizes
    /// before the handler runs.
    public let namesRecord: Bool
    public let constraints: [String: SegmentConstraint]
    public let handler: Handler

    public init(_ name: String, _ methods: [HTTPMethod], _ path: String, access: Access = .signedIn,
                namesRecord: Bool = false,
                constraints: [String: SegmentConstraint] = [:], handler: @escaping Handler) {
        self.name = name
        self.methods = methods
        self.path = path
        self.access = access
        self.namesRecord = namesRecord
        self.constraints = constraints
        self.handler = handler
    }


    /// A numeric id segment (`/items/{id}`): anything else is not this route (404).
    public static let numeric = SegmentConstraint("numeric") { NumericID.parse($0) != nil }
}
