/// Why migrating refused to run or stopped (OPS-30, OPS-31). The description names the file or
/// version, as the CLI prints it before exiting 1.
public enum MigrationError: Error, CustomStringConvertible, Sendable, Equatable {
    /// A file name that does not match `NNNN_description.sql`.
    case invalidName(String)
    /// Two files share a version number.
    case duplicateVersion(String)
    /// A migrations directory or file could not be read, or was not UTF-8.
    case unreadable(path: String, reason: String)
    /// An applied migration's file no longer has the recorded SHA-256.
    case changed(String)
    /// A version is recorded as applied but no file has it.
    case missing(String)
    /// The file failed and was rolled back completely.
    case failed(file: String, underlying: PGError)
    /// A database error outside any one file (locking, reading `schema_migrations`).
    case database(PGError)

    public var description: String {
        switch self {
        case .invalidName(let name):
            return "invalid migration file name \(name) (expected NNNN_description.sql)"
        case .duplicateVersion(let version):
            return "more than one migration file has version \(version)"
        case .unreadable(let path, let reason):
            return "cannot read migrations at \(path): \(reason)"
        case .changed(let version):
            return "migration \(version) was changed after it was applied (SHA-256 differs); add a new file instead"
        case .missing(let version):
            return "migration \(version) is recorded as applied but its file is missing"
        case .failed(let file, let underlying):
            return "migration \(file) failed and was rolled back: \(underlying.message)"
                + (underlying.sqlState.map { " (SQLSTATE \($0))" } ?? "")
        case .database(let underlying):
            return "migrating failed: \(underlying.message)"
        }
    }

    public static func == (lhs: MigrationError, rhs: MigrationError) -> Bool {
        switch (lhs, rhs) {
        case (.invalidName(let a), .invalidName(let b)), (.duplicateVersion(let a), .duplicateVersion(let b)),
             (.changed(let a), .changed(let b)), (.missing(let a), .missing(let b)):
            return a == b
        case (.unreadable(let a, _), .unreadable(let b, _)):
            return a == b
        case (.failed(let a, let e1), .failed(let b, let e2)):
            return a == b && e1.sqlState == e2.sqlState
        case (.database(let e1), .database(let e2)):
            return e1.kind == e2.kind && e1.sqlState == e2.sqlState
        default:
            return false
        }
    }
}
