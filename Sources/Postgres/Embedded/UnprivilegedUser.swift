import Foundation

/// The OS user that initdb, pg_ctl and the server run as when the registry itself runs as root
/// (OPS-14: PostgreSQL refuses to run as root).
struct UnprivilegedUser: Sendable, Equatable {
    let name: String
    let uid: uid_t
    let gid: gid_t
    /// How to start a program as this user.
    let switcher: PrivilegeSwitch

    /// The user we fall back to creating when there is no `postgres` user.
    static let createdUserName = "registry-pg"

    /// Finds `postgres`, else `registry-pg`, else creates `registry-pg` with useradd.
    /// - Throws: `EmbeddedClusterError.cannotRunAsRoot` when none can be found or created, or
    ///   when no tool to switch users (runuser, setpriv, su) exists.
    static func resolveForRoot(log: @Sendable (String) -> Void) throws -> UnprivilegedUser {
        guard let switcher = PrivilegeSwitch.find() else { throw EmbeddedClusterError.cannotRunAsRoot }
        if let account = SystemUserAccount.named("postgres") ?? SystemUserAccount.named(createdUserName) {
            return UnprivilegedUser(name: account.name, uid: account.uid, gid: account.gid, switcher: switcher)
        }
        log("creating system user \(createdUserName) to run the embedded PostgreSQL")
        if let useradd = PrivilegeSwitch.systemExecutable("useradd") {
            let result = try? ClusterCommand.run(
                useradd, ["--system", "--no-create-home", "--shell", "/usr/sbin/nologin", createdUserName]
            )
            if let result, result.status != 0 {
                log("useradd failed (status \(result.status)): \(result.combinedOutput)")
            }
        }
        // Looked up again even after a failure: a concurrent process may have created it first.
        guard let account = SystemUserAccount.named(createdUserName) else { throw EmbeddedClusterError.cannotRunAsRoot }
        return UnprivilegedUser(name: account.name, uid: account.uid, gid: account.gid, switcher: switcher)
    }

    /// The argv that runs `executable arguments` as this user.
    func commandLine(_ executable: String, _ arguments: [String]) -> [String] {
        switch switcher {
        case .runuser(let tool):
            return [tool, "-u", name, "--", executable] + arguments
        case .setpriv(let tool):
            return [tool, "--reuid=\(uid)", "--regid=\(gid)", "--init-groups", "--", executable] + arguments
        case .su(let tool):
            // su only takes a shell command line; the user's own shell may be nologin.
            let command = ([executable] + arguments).map(PrivilegeSwitch.shellQuoted).joined(separator: " ")
            return [tool, "-s", "/bin/sh", name, "-c", command]
        }
    }

    /// Makes `path` owned by this user (not recursive).
    func takeOwnership(of path: String) throws {
        guard chown(path, uid, gid) == 0 else {
            throw EmbeddedClusterError("cannot give \(path) to user \(name): \(String(cString: strerror(errno)))")
        }
    }

    /// True when this user may search (enter) `path` according to its permission bits.
    func canSearch(_ path: String) -> Bool {
        hasPermission(on: path, ownerBit: S_IXUSR, groupBit: S_IXGRP, otherBit: S_IXOTH)
    }

    /// True when this user may create files in `path` according to its permission bits.
    func canWrite(_ path: String) -> Bool {
        canSearch(path) && hasPermission(on: path, ownerBit: S_IWUSR, groupBit: S_IWGRP, otherBit: S_IWOTH)
    }

    /// The first of `path` and its ancestors that this user cannot search, or nil when the whole
    /// chain is reachable (e.g. /root is 0700, so nothing under it is reachable for `postgres`).
    func firstUnreachableComponent(of path: String) -> String? {
        var chain: [String] = []
        var current = path
        while true {
            chain.append(current)
            if current == "/" { break }
            current = (current as NSString).deletingLastPathComponent
            if current.isEmpty { current = "/" }
        }
        return chain.reversed().first { !canSearch($0) }
    }

    private func hasPermission(on path: String, ownerBit: mode_t, groupBit: mode_t, otherBit: mode_t) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        if info.st_uid == uid { return info.st_mode & ownerBit != 0 }
        if groupIDs().contains(info.st_gid) { return info.st_mode & groupBit != 0 }
        return info.st_mode & otherBit != 0
    }

    /// Primary and supplementary groups of the user.
    private func groupIDs() -> [gid_t] {
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, gid, &groups, &count) >= 0 else { return [gid] }
        }
        return Array(groups.prefix(Int(count)))
    }
}

/// The tool used to run a program as another user, in order of preference.
enum PrivilegeSwitch: Sendable, Equatable {
    case runuser(String)
    case setpriv(String)
    case su(String)

    static func find() -> PrivilegeSwitch? {
        if let tool = Self.systemExecutable("runuser") { return .runuser(tool) }
        if let tool = Self.systemExecutable("setpriv") { return .setpriv(tool) }
        if let tool = Self.systemExecutable("su") { return .su(tool) }
        return nil
    }

    /// The first executable `name` in the usual system directories. A fixed list, not PATH,
    /// because these tools run as root.
    static func systemExecutable(_ name: String) -> String? {
        ["/usr/sbin", "/sbin", "/usr/bin", "/bin"]
            .map { $0 + "/" + name }
            .first(where: PostgresBinaries.isExecutableFile)
    }

    /// Single-quotes `text` for /bin/sh.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

/// A passwd entry.
struct SystemUserAccount {
    let name: String
    let uid: uid_t
    let gid: gid_t

    /// Looks the user up with the reentrant getpwnam_r (the embedded cluster may start on any thread).
    static func named(_ name: String) -> SystemUserAccount? {
        var entry = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 16_384)
        let status = getpwnam_r(name, &entry, &buffer, buffer.count, &result)
        guard status == 0, result != nil else { return nil }
        return SystemUserAccount(name: name, uid: entry.pw_uid, gid: entry.pw_gid)
    }
}

