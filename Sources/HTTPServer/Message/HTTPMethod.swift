/// A request method. The server implements exactly the six methods below (api-v2.md API-7);
/// any other token parses as `.other` and is answered 501 before routing.
public enum HTTPMethod: Hashable, Sendable, CustomStringConvertible {
    case get, head, post, put, patch, delete
    case other(String)

    /// Methods are case-sensitive tokens (RFC 9110 §9.1): `get` is not `GET`.
    public init(token: String) {
        switch token {
        case "GET": self = .get
        case "HEAD": self = .head
        case "POST": self = .post
        case "PUT": self = .put
        case "PATCH": self = .patch
        case "DELETE": self = .delete
        default: self = .other(token)
        }
    }

    public var description: String {
        switch self {
        case .get: "GET"
        case .head: "HEAD"
        case .post: "POST"
        case .put: "PUT"
        case .patch: "PATCH"
        case .delete: "DELETE"
        case .other(let token): token
        }
    }

    public var isImplemented: Bool {
        if case .other = self { return false }
        return true
    }
}
