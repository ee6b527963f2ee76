import Postgres

/// OPS-56, OPS-57, OPS-65: what a request that met a busy, slow or absent database is told, and
/// when to retry. The API and the HTML view say the same thing, each in its own register.
public struct DatabaseOutage: Sendable {
    /// The API's error message (OPS-65: `database unavailable`).
    public let apiMessage: String
    /// The HTML 503 page's sentence (WEB-26: "try again shortly").
    public let pageMessage: String
    /// `Retry-After` in seconds: 1 for a pool that stays busy past its acquire timeout, else 5.
    public let retryAfter: String

    /// For an error that `isTransient` (the database's passing trouble, not a fault of the request).
    public init(_ error: PGError) {
        switch error.kind {
        case .poolTimeout:
            (apiMessage, pageMessage, retryAfter) = ("database busy; try again", "Database busy; try again shortly.", "1")
        case .statementTimeout:
            (apiMessage, pageMessage, retryAfter) = ("database statement timed out; try again",
                                                     "Database statement timed out; try again shortly.", "5")
        default:
            (apiMessage, pageMessage, retryAfter) = ("database unavailable", "Database unavailable; try again shortly.", "5")
        }
    }
}
