/// A failure to find, initialise, start or stop the embedded PostgreSQL cluster (operations.md §2).
///
/// The message is meant for an operator's terminal: callers print `description` and exit 1.
public struct EmbeddedClusterError: Error, CustomStringConvertible, Equatable {
    /// The full, human-readable explanation.
    public let message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }

    /// OPS-11: no candidate directory holds `initdb`, `pg_ctl` and `postgres`.
    public static let binariesNotFound = EmbeddedClusterError(
        "PostgreSQL binaries not found; set DATABASE_URL or PG_BIN_DIR"
    )

    /// OPS-14: running as root and no unprivileged user could be found or created.
    public static let cannotRunAsRoot = EmbeddedClusterError(
        "embedded PostgreSQL cannot run as root; set DATABASE_URL or create a 'postgres' user"
    )
}
