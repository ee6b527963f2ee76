/// An error from the database layer.
///
/// `description` is deliberately generic ("database error (SQLSTATE 23505)"): an error that bubbles up
/// to an HTTP response by accident must not leak SQL text, table names or row values. The server's
/// message and constraint are kept in the fields and in `debugDescription`, for logs only; the
/// DETAIL (row values) only in its field.
public struct PGError: Error, CustomStringConvertible, CustomDebugStringConvertible, Sendable {
    /// What went wrong, as far as callers need to branch on it.
    public enum Kind: Sendable, Hashable {
        /// Could not connect, or the connection was lost (SQLSTATE class 08, 57P01, 57P02, 57P03).
        case connectionFailure
        /// The pool's circuit is open: the database is down and a reconnect is not due yet (OPS-65).
        case unavailable
        /// No pooled connection became free within the acquire timeout (OPS-56).
        case poolTimeout
        /// SQLSTATE 57014: statement timeout, or a `PGConnection.cancel()` from another thread.
        case statementTimeout
        /// SQLSTATE 23505.
        case uniqueViolation
        /// SQLSTATE 23P01: an exclusion constraint (the hash-backed uniqueness of long identifiers).
        case exclusionViolation
        /// SQLSTATE 23503.
        case foreignKeyViolation
        /// SQLSTATE 23514.
        case checkViolation
        /// SQLSTATE 23502.
        case notNullViolation
        /// SQLSTATE 40001.
        case serializationFailure
        /// SQLSTATE 40P01.
        case deadlock
        /// Anything else, including client-side misuse (nested transactions, undecodable values).
        case other
    }

    public var kind: Kind
    /// The five-character SQLSTATE, when the server (or libpq) supplied one.
    public var sqlState: String?
    /// The primary message (server's or client's). For logs, never for HTTP responses.
    public var message: String
    /// The server's DETAIL, which may contain row values: never logged (`debugDescription`).
    public var detail: String?
    /// The violated constraint's name (PG_DIAG_CONSTRAINT_NAME), for mapping to field errors.
    public var constraint: String?

    public init(
        kind: Kind, sqlState: String? = nil, message: String, detail: String? = nil, constraint: String? = nil
    ) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
    }

    /// Builds an error from a server SQLSTATE, mapping it to a `Kind`.
    public init(sqlState: String?, message: String, detail: String? = nil, constraint: String? = nil) {
        self.init(
            kind: PGError.kind(forSQLState: sqlState), sqlState: sqlState, message: message,
            detail: detail, constraint: constraint)
    }

    /// True for failures where retrying later may succeed and the HTTP layer answers 503.
    public var isTransient: Bool {
        switch kind {
        case .connectionFailure, .unavailable, .poolTimeout, .statementTimeout: return true
        default: return false
        }
    }

    /// A row collided with another on a key: a unique index (23505) or an exclusion constraint
    /// (23P01), which is how a key too long for a btree entry is kept unique.
    public var isKeyConflict: Bool { kind == .uniqueViolation || kind == .exclusionViolation }

    /// Safe for any audience: no SQL, no server text.
    public var description: String {
        switch kind {
        case .connectionFailure where sqlState == nil: return "database connection failure"
        case .unavailable: return "database unavailable"
        case .poolTimeout: return "database pool timeout"
        default:
            if let sqlState { return "database error (SQLSTATE \(sqlState))" }
            return "database error"
        }
    }

    /// For logs: kind, SQLSTATE, the server's message and the constraint, but NOT the DETAIL. A
    /// constraint failure's DETAIL quotes the whole row ("Failing row contains (…)"), which can be
    /// a notification body with a plaintext token, a session's CSRF token or a work item's state:
    /// no issued secret may reach a log (operations.md OPS-42). `detail` stays on the value for
    /// code that maps a specific failure.
    public var debugDescription: String {
        var text = "PGError(\(kind)"
        if let sqlState { text += ", SQLSTATE \(sqlState)" }
        text += "): \(message)"
        if let constraint { text += " CONSTRAINT: \(constraint)" }
        return text
    }

    /// The mapping of SQLSTATE codes to kinds; class 08 and the 57P0x shutdown codes mean the
    /// connection is gone, which the pool treats like any other connection loss.
    public static func kind(forSQLState sqlState: String?) -> Kind {
        guard let sqlState else { return .other }
        switch sqlState {
        case "57014": return .statementTimeout
        case "23505": return .uniqueViolation
        case "23P01": return .exclusionViolation
        case "23503": return .foreignKeyViolation
        case "23514": return .checkViolation
        case "23502": return .notNullViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlock
        case "57P01", "57P02", "57P03": return .connectionFailure
        default: return sqlState.hasPrefix("08") ? .connectionFailure : .other
        }
    }
}
