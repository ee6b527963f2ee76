import HTTPServer
import Postgres
import RegistryCore

/// The API-key check of a request answered on an event loop: the same lookup as the worker path
/// (`APIKeyAuthenticator`), sent in the request's first pipeline.
enum LoopAuthentication {
    /// The lookup for the request's headers; nil when one is missing (a worker answers the 401).
    static func query(_ head: RequestHead) -> PGQuery? {
        APIKeyAuthenticator.query(email: head.headers["X-Pharos-API-User"] ?? "", key: head.headers["X-Pharos-API-Key"] ?? "")
    }

    /// The caller, when the credentials are valid and `last_used_at` needs no write (DOM-58: that
    /// write is the worker path's); nil hands the request to a worker.
    static func caller(_ result: PGResult) -> Caller? {
        guard let match = APIKeyAuthenticator.match(result), !match.lastUsedIsStale else { return nil }
        return match.caller
    }
}
