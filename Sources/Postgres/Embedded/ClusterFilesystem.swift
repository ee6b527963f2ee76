import Foundation

/// Directory creation, ownership and log reading for the embedded cluster.
enum ClusterFilesystem {
    /// Creates `path` (mode `mode`) and any missing ancestors (mode 0755, so that an unprivileged
    /// cluster user can still pass through them). Modes are set with chmod, not left to the umask.
    /// - Returns: true when `path` itself was created now.
    @discardableResult
    static func createDirectory(_ path: String, mode: mode_t) throws -> Bool {
        if isDirectory(path) { return false }
        let parent = (path as NSString).deletingLastPathComponent
        if !parent.isEmpty, parent != path, !isDirectory(parent) {
            try createDirectory(parent, mode: 0o755)
        }
        guard mkdir(path, mode) == 0 || errno == EEXIST else {
            throw EmbeddedClusterError("cannot create directory \(path): \(String(cString: strerror(errno)))")
        }
        try setMode(path, mode)
        return true
    }

    static func setMode(_ path: String, _ mode: mode_t) throws {
        guard chmod(path, mode) == 0 else {
            throw EmbeddedClusterError("cannot set the mode of \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Adds search permission for others (o+x) to the directory `path` if `owner` owns it; false
    /// when it is not such a directory or chmod fails.
    static func grantSearchToOthers(_ path: String, ownedBy owner: uid_t) -> Bool {
        guard let current = ownerAndMode(path), current.isDirectory, current.uid == owner else { return false }
        return chmod(path, current.mode | S_IXOTH) == 0
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }

    /// Owner and permission bits of `path` without following a final symlink.
    static func ownerAndMode(_ path: String) -> (uid: uid_t, mode: mode_t, isDirectory: Bool)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (info.st_uid, info.st_mode & 0o7777, (info.st_mode & S_IFMT) == S_IFDIR)
    }

    /// True when `directory` holds nothing but what the embedded cluster itself puts there — the
    /// only case in which root may hand an existing directory over to the cluster user.
    static func holdsOnlyClusterEntries(_ directory: String) -> Bool {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return entries.allSatisfy { ["pg", "run", "pg.log"].contains($0) }
    }

    /// A new private (0700) directory under /tmp.
    static func makeTemporaryDirectory(prefix: String) throws -> String {
        var template = Array("/tmp/\(prefix)-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else {
            throw EmbeddedClusterError("cannot create a directory under /tmp: \(String(cString: strerror(errno)))")
        }
        return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// The last `count` lines of the file at `path` (for start-up failure messages, OPS-14).
    static func lastLines(of path: String, count: Int) -> String {
        guard let data = FileManager.default.contents(atPath: path) else { return "(\(path) is missing)" }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let trimmed = lines.last == "" ? lines.dropLast() : lines[...]
        return trimmed.suffix(count).joined(separator: "\n")
    }
}
