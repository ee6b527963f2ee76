import Foundation

/// Finds the directory holding the PostgreSQL server binaries (OPS-11).
public enum PostgresBinaries {
    /// A directory counts as a hit only if it holds all of these as executable files.
    public static let requiredExecutables = ["initdb", "pg_ctl", "postgres"]

    /// Returns the first directory, in OPS-11 order, that holds executable `initdb`, `pg_ctl` and
    /// `postgres`: `pgBinDir` (the `PG_BIN_DIR` variable); the directory of `pg_ctl` on
    /// `environmentPath` (symlinks resolved); `pg_config --bindir`; the highest-numbered
    /// `/usr/lib/postgresql/<major>/bin`; `/usr/local/pgsql/bin`.
    /// - Throws: `EmbeddedClusterError.binariesNotFound` when no candidate qualifies.
    public static func locate(pgBinDir: String?, environmentPath: String?) throws -> String {
        try locate(
            pgBinDir: pgBinDir,
            environmentPath: environmentPath,
            versionedInstallRoot: "/usr/lib/postgresql",
            fallbackDirectory: "/usr/local/pgsql/bin"
        )
    }

    /// The same search with the two fixed locations replaceable, so tests can run it on fake trees.
    static func locate(
        pgBinDir: String?,
        environmentPath: String?,
        versionedInstallRoot: String,
        fallbackDirectory: String
    ) throws -> String {
        if let pgBinDir, !pgBinDir.isEmpty, holdsServerBinaries(pgBinDir) {
            return pgBinDir
        }
        let searchPath = pathEntries(environmentPath)
        for directory in pgCtlDirectories(on: searchPath) where holdsServerBinaries(directory) {
            return directory
        }
        if let directory = pgConfigBinDirectory(on: searchPath), holdsServerBinaries(directory) {
            return directory
        }
        for directory in versionedBinDirectories(under: versionedInstallRoot) where holdsServerBinaries(directory) {
            return directory
        }
        if holdsServerBinaries(fallbackDirectory) {
            return fallbackDirectory
        }
        throw EmbeddedClusterError.binariesNotFound
    }

    /// True when `directory` holds every required executable.
    static func holdsServerBinaries(_ directory: String) -> Bool {
        requiredExecutables.allSatisfy { isExecutableFile(directory + "/" + $0) }
    }

    static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return false }
        return access(path, X_OK) == 0
    }

    /// PATH entries in order. Empty entries (which would mean the current directory) are skipped:
    /// an implicit "." must not decide which server binaries run.
    static func pathEntries(_ environmentPath: String?) -> [String] {
        (environmentPath ?? "").split(separator: ":", omittingEmptySubsequences: true).map(String.init)
    }

    static func firstExecutable(named name: String, on searchPath: [String]) -> String? {
        searchPath.map { $0 + "/" + name }.first(where: isExecutableFile)
    }

    /// The directory of the first `pg_ctl` on PATH: its symlink-resolved directory first (a
    /// /usr/local/bin/pg_ctl link to /usr/lib/postgresql/15/bin has no initdb beside the link),
    /// then the directory of the link itself.
    static func pgCtlDirectories(on searchPath: [String]) -> [String] {
        guard let pgCtl = firstExecutable(named: "pg_ctl", on: searchPath) else { return [] }
        let literal = (pgCtl as NSString).deletingLastPathComponent
        guard let resolved = realPath(pgCtl) else { return [literal] }
        let resolvedDirectory = (resolved as NSString).deletingLastPathComponent
        return resolvedDirectory == literal ? [literal] : [resolvedDirectory, literal]
    }

    static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Output of `pg_config --bindir` for the first `pg_config` on PATH, or nil.
    static func pgConfigBinDirectory(on searchPath: [String]) -> String? {
        guard let pgConfig = firstExecutable(named: "pg_config", on: searchPath),
              let result = try? ClusterCommand.run(pgConfig, ["--bindir"]),
              result.status == 0
        else { return nil }
        let directory = result.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
        return directory.isEmpty ? nil : directory
    }

    /// `<root>/<version>/bin` for every numeric version directory, highest first. Versions compare
    /// numerically component by component, so 9.6 < 10 < 15 (string order would put 9.6 last).
    static func versionedBinDirectories(under root: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []
        let versions: [(name: String, parts: [Int])] = names.compactMap { name in
            let parts = name.split(separator: ".", omittingEmptySubsequences: false)
            guard !parts.isEmpty, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }) else {
                return nil
            }
            let numbers = parts.compactMap { Int($0) }
            return numbers.count == parts.count ? (name, numbers) : nil
        }
        return versions
            .sorted { $0.parts.lexicographicallyPrecedes($1.parts) }
            .reversed()
            .map { root + "/" + $0.name + "/bin" }
    }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
