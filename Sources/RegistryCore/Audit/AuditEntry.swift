import Formats

/// Where a request came from, for audit rows (domain.md §4.12).
public struct AuditOrigin: Sendable {
    public var requestID: String
    public var remoteAddress: String?
    public var httpMethod: String?
    public var path: String?

    public init(requestID: String, remoteAddress: String?, httpMethod: String?, path: String?) {
        self.requestID = requestID
        self.remoteAddress = remoteAddress
        self.httpMethod = httpMethod
        self.path = path
    }

    /// For CLI commands: `request_id` = `cli:<command>`, `auth_method` = `cli`.
    public static func cli(_ command: String) -> AuditOrigin {
        AuditOrigin(requestID: "cli:\(command)", remoteAddress: nil, httpMethod: nil, path: nil)
    }
}

/// One row of the append-only audit log.
public struct AuditEntry: Sendable {
    public var origin: AuditOrigin
    public var actorUserID: Int64?
    public var actorEmail: String?
    /// `api_key:<id>`, `session`, `cli` or `none`.
    public var authMethod: String
    /// Dotted name: `object.create`, `event.create`, `api_auth.failure` …
    public var action: String
    public var resourceType: String?
    public var resourceID: Int64?
    public var resourceIdentifier: String?
    public var institutionID: Int64?
    public var status: Int?
    /// A JSON object (never passwords, keys, tokens or work item state, §4.12).
    public var details: [UInt8]?

    public init(origin: AuditOrigin, caller: Caller?, action: String, resourceType: String? = nil,
                resourceID: Int64? = nil, resourceIdentifier: String? = nil, institutionID: Int64? = nil,
                status: Int? = nil, details: [UInt8]? = nil) {
        self.origin = origin
        self.actorUserID = caller?.userID
        self.actorEmail = caller?.email
        self.authMethod = caller?.authMethod ?? "none"
        self.action = action
        self.resourceType = resourceType
        self.resourceID = resourceID
        self.resourceIdentifier = resourceIdentifier
        self.institutionID = institutionID
        self.status = status
        self.details = details
    }
}

extension AuditEntry {
    /// A row for a CLI command (operations.md §3: `auth_method = cli`, request id `cli:<command>`).
    public static func cli(_ command: String, action: String) -> AuditEntry {
        var entry = AuditEntry(origin: .cli(command), caller: nil, action: action)
        entry.authMethod = "cli"
        return entry
    }

    /// `{"replayed": true}` (API-65).
    public static let replayedDetails: [UInt8] = Array(#"{"replayed":true}"#.utf8)
}
