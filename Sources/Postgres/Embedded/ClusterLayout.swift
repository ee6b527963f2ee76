import Foundation

/// Where the embedded cluster keeps its files under `REGISTRY_DATA_DIR` (OPS-1, OPS-12, OPS-13).
struct ClusterLayout: Sendable {
    /// Absolute data directory (`REGISTRY_DATA_DIR`).
    let dataDirectory: String

    /// Socket directories at or above this many bytes go under /tmp instead: a Unix socket path
    /// (directory + "/.s.PGSQL.5432") is limited to about 107 bytes (OPS-13).
    static let maximumSocketDirectoryBytes = 90

    /// `dataDirectory` made absolute against the current directory and lexically normalised.
    init(dataDirectory: String) {
        let absolute = dataDirectory.hasPrefix("/")
            ? dataDirectory
            : FileManager.default.currentDirectoryPath + "/" + dataDirectory
        self.dataDirectory = URL(fileURLWithPath: absolute).standardizedFileURL.path
    }

    /// The cluster itself (`PGDATA`).
    var clusterDirectory: String { dataDirectory + "/pg" }
    /// Where pg_ctl sends the server log.
    var logFile: String { dataDirectory + "/pg.log" }
    /// Present once initdb has completed.
    var versionFile: String { clusterDirectory + "/PG_VERSION" }
    /// The socket directory used when its path is short enough.
    var preferredSocketDirectory: String { dataDirectory + "/run" }

    var preferredSocketDirectoryFits: Bool {
        preferredSocketDirectory.utf8.count < Self.maximumSocketDirectoryBytes
    }

    /// Paths end up inside a shell command (pg_ctl runs the server through /bin/sh) and inside
    /// `unix_socket_directories`, a comma-separated list; these characters cannot pass safely.
    static let unsafeCharacters: Set<Character> = ["'", "\"", "\\", "$", "`", ",", "\n", "\r"]

    /// Throws when the data directory path contains a character we cannot pass to pg_ctl safely.
    func validate() throws {
        if let bad = dataDirectory.first(where: { Self.unsafeCharacters.contains($0) }) {
            throw EmbeddedClusterError(
                "REGISTRY_DATA_DIR \(dataDirectory) contains the character \(bad.debugDescription), "
                    + "which the embedded PostgreSQL cannot use; choose another directory or set DATABASE_URL"
            )
        }
    }
}

/// Builds libpq key=value connection strings.
enum EmbeddedConninfo {
    /// `host=<socket dir> port=<port> user=registry dbname=<database>`.
    static func make(socketDirectory: String, port: Int, user: String, database: String) -> String {
        [("host", socketDirectory), ("port", String(port)), ("user", user), ("dbname", database)]
            .map { "\($0.0)=\(quoted($0.1))" }
            .joined(separator: " ")
    }

    /// Values with spaces, quotes or backslashes (or empty ones) are single-quoted with `\'` and
    /// `\\` escapes, as libpq's conninfo parser expects; plain values stay bare for readability.
    static func quoted(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.contains { $0 == " " || $0 == "'" || $0 == "\\" || $0.isWhitespace }
        guard needsQuotes else { return value }
        let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "\\'")
        return "'" + escaped + "'"
    }
}
