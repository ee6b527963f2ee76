import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// One HTML request on its way through a handler.
public struct WebCall {
    public let request: HTTPRequest
    public let parameters: RouteParameters
    public let route: WebRoute
    public let services: WebServices
    /// The signed-in session; nil only on `.anonymous` routes.
    public let session: ActiveSession?
    /// Set by `authorize()`; the pipeline refuses to send a success that skipped it (fail closed).
    public private(set) var authorized = false
    /// `Set-Cookie` values to send with the response.
    var cookies: [String] = []
    /// The one-time notice the request brought (WEB-16), shown by the next rendered page.
    let notice: String?
    /// Notes whether a page read was answered by the read replica (OPS-67: `X-Read-Source`).
    private let replicaReads = ReplicaReads()
    /// The services' database, noting replica reads in `replicaReads`; or, to run a GET again after
    /// the replica missed a record (see `WebPipeline`), one that reads only the primary.
    public let database: Database
    private let parsedQuery: Result<QueryParameters, QueryDecodingError>

    init(request: HTTPRequest, parameters: RouteParameters, route: WebRoute, services: WebServices,
         session: ActiveSession?, primaryOnly: Bool = false) {
        self.request = request
        self.parameters = parameters
        self.route = route
        self.services = services
        self.session = session
        self.database = primaryOnly ? services.database.primaryOnly() : services.database.notingReplicaReads(replicaReads)
        self.notice = Cookies.value(Cookies.notice, in: request.headers).flatMap(Notice.text(forCookie:))
        do {
            parsedQuery = .success(try QueryParameters(rawQuery: request.head.query))
        } catch {
            parsedQuery = .failure(error)
        }
    }

    /// The signed-in user. Only `.signedIn` routes may ask (the pipeline guarantees a session there).
    public var caller: Caller {
        guard let session else { preconditionFailure("route \(route.name) is anonymous and has no caller") }
        return session.caller
    }

    /// Whether a page read was answered by the read replica (OPS-67: `X-Read-Source`).
    var readFromReplica: Bool { replicaReads.replicaAnswered }
    public var settings: WebSettings { services.settings }

    /// The permission check of DOM-96b step 3, after any record named in the path was found visible.
    public mutating func authorize(_ allowed: Bool = true) throws(RegistryError) {
        if let session, !route.roles.contains(session.caller.role) { throw .forbidden }
        guard allowed else { throw .forbidden }
        authorized = true
    }

    /// The query string, form-decoded (API-48); a malformed escape is a 400.
    public var query: QueryParameters {
        get throws(RegistryError) {
            switch parsedQuery {
            case .success(let query): return query
            case .failure(let error): throw .badRequest(error.message)
            }
        }
    }

    /// The query, or no parameters when it cannot be decoded (to re-render a form after a 400).
    var lenientQuery: QueryParameters { (try? query) ?? Self.noParameters }

    private static let noParameters: QueryParameters = {
        do { return try QueryParameters(rawQuery: nil) } catch { preconditionFailure("an absent query always parses") }
    }()

    /// The posted form (`application/x-www-form-urlencoded`, decoded like a query string).
    public var form: QueryParameters {
        get throws(RegistryError) { try FormBody.parse(request) }
    }

    /// Reads for a GET page, which the read replica may serve (OPS-67); writes and the reads of a
    /// POST always go to the primary.
    func read<T>(_ body: (PGConnection) throws -> T) throws -> T {
        guard request.method == .get || request.method == .head else { return try database.read(body) }
        return try database.replicaRead(body).value
    }

    /// Base of absolute links (notifications): PUBLIC_BASE_URL, else scheme + `://` + Host.
    public var baseURL: String {
        if let base = settings.publicBaseURL { return base }
        return request.context.scheme + "://" + (request.headers["Host"] ?? "localhost")
    }

    /// Where this request came from, for audit rows.
    public var origin: AuditOrigin {
        AuditOrigin(requestID: request.requestID, remoteAddress: request.remoteAddress,
                    httpMethod: request.method.description, path: String(request.head.path))
    }

    /// An audit entry for this caller and request.
    public func audit(_ action: String, status: Int) -> AuditEntry {
        AuditEntry(origin: origin, caller: session?.caller, action: action, status: status)
    }
}
