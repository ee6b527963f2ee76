import Formats
import HTTPServer
import RegistryCore
import Routing

/// One authenticated API request on its way through a handler.
public struct APICall {
    public let request: HTTPRequest
    public let parameters: RouteParameters
    public let route: APIRoute
    public let caller: Caller
    public let services: APIServices
    /// The request's database: its primary connection is leased once for the whole request.
    public let database: Database
    /// Served under `/member-api/v2`.
    public let isMemberAPI: Bool
    /// Set by `authorize()`; the pipeline refuses to send a success that skipped it (fail closed).
    public private(set) var authorized = false
    private let parsedQuery: Result<QueryParameters, QueryDecodingError>

    init(request: HTTPRequest, parameters: RouteParameters, route: APIRoute, caller: Caller, services: APIServices,
         isMemberAPI: Bool, database: Database? = nil) {
        self.request = request
        self.parameters = parameters
        self.route = route
        self.caller = caller
        self.services = services
        self.database = database ?? services.database
        self.isMemberAPI = isMemberAPI
        do {
            parsedQuery = .success(try QueryParameters(rawQuery: request.head.query))
        } catch {
            parsedQuery = .failure(error)
        }
    }

    public var settings: APISettings { services.settings }

    /// The permission check of DOM-96b step 3 (after any path record was found visible), then the
    /// query check of step 4 (unknown or repeated parameters).
    public mutating func authorize(_ allowed: Bool = true) throws(RegistryError) {
        guard allowed, route.roles.contains(caller.role) else { throw .forbidden }
        authorized = true
        try validateQuery(route.query)
    }

    /// The parsed query string (form-decoded, API-48). Valid only after `authorize()`.
    public var query: QueryParameters {
        get throws(RegistryError) {
            switch parsedQuery {
            case .success(let query): return query
            case .failure(let error): throw .badRequest(error.message)
            }
        }
    }

    /// API-45 / API-45a: every parameter must be known; only the listed ones may repeat.
    public func validateQuery(_ spec: QuerySpec) throws(RegistryError) {
        let query = try self.query
        var repeats = RepeatedParameters(repeatable: spec.repeatable)
        for item in query.items {
            guard spec.names.contains(item.name) else { throw .badRequest("unknown query parameter: \(item.name)") }
            try repeats.note(item.name)
        }
    }

    /// Where this request came from, for audit rows.
    public var origin: AuditOrigin {
        AuditOrigin(requestID: request.requestID, remoteAddress: request.remoteAddress,
                    httpMethod: request.method.description, path: String(request.head.path))
    }

    /// An audit entry for this caller and request.
    public func audit(_ action: String, resourceType: String?, resourceID: Int64?, resourceIdentifier: String?,
                      institutionID: Int64?, status: Int, details: [UInt8]? = nil) -> AuditEntry {
        AuditEntry(origin: origin, caller: caller, action: action, resourceType: resourceType, resourceID: resourceID,
                   resourceIdentifier: resourceIdentifier, institutionID: institutionID, status: status, details: details)
    }

    /// Base of absolute links (API-42): PUBLIC_BASE_URL, else scheme + `://` + Host.
    public var baseURL: String {
        if let base = settings.publicBaseURL { return base }
        return request.context.scheme + "://" + (request.headers["Host"] ?? "localhost")
    }
}
