import Foundation

/// The parts of `<pgdata>/postmaster.pid` that tell whether a cluster is running and where
/// (line 1: PID, line 4: port, line 5: first socket directory).
struct PostmasterPidFile: Equatable {
    let pid: pid_t
    let port: Int
    let socketDirectory: String

    /// Parses the file's text; nil when it is incomplete (a postmaster still starting writes it in
    /// stages) or when TCP-only (no socket directory).
    init?(text: String) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 5,
              let pid = pid_t(lines[0].trimmingCharacters(in: .whitespaces)), pid > 0,
              let port = Int(lines[3].trimmingCharacters(in: .whitespaces))
        else { return nil }
        let socketDirectory = lines[4].trimmingCharacters(in: .whitespaces)
        guard !socketDirectory.isEmpty else { return nil }
        self.pid = pid
        self.port = port
        self.socketDirectory = socketDirectory
    }

    /// Reads `<pgdata>/postmaster.pid`; nil when absent or unparsable.
    static func read(inDataDirectory pgData: String) -> PostmasterPidFile? {
        guard let data = FileManager.default.contents(atPath: pgData + "/postmaster.pid") else { return nil }
        return PostmasterPidFile(text: String(decoding: data, as: UTF8.self))
    }

    /// True when a process with this PID exists (EPERM still means it exists, just not ours).
    var processExists: Bool {
        kill(pid, 0) == 0 || errno == EPERM
    }
}
