import HTTPServer
import Postgres
import RegistryCore

/// `registry audit verify [--institution IDENT] [--from-head HASH@SEQ]` (operations.md OPS-27,
/// auditor.md AUD-60..63).
public enum AuditVerifyCommand {
    /// Checks the arguments (usage errors exit 2, before the database is opened), verifies, and
    /// hands each AUD-62 line to `output` as soon as it is known. Returns the exit code: 0 when every
    /// chain is intact, 1 when at least one is broken.
    public static func run(_ configuration: RegistryConfiguration, environment: [String: String], institution: String?,
                           fromHead: String?, output: (String) -> Void) throws(CommandFailure) -> Int32 {
        var recordedHead: RecordedHead?
        if let fromHead {
            guard institution != nil else {
                throw CommandFailure(exitCode: 2, "--from-head requires --institution")
            }
            guard let parsed = RecordedHead(parsing: fromHead) else {
                throw CommandFailure(exitCode: 2, "--from-head must be HASH@SEQ: 64 hex digits, @, a sequence number")
            }
            recordedHead = parsed
        }
        // Logs go to stderr: stdout carries only the verification lines.
        let logger = JSONLogger(level: configuration.logLevel, fileDescriptor: 2)
        let runtime = try DatabaseRuntime.open(configuration, environment: environment, logger: logger, poolSize: 1)
        defer { runtime.close() }
        var allIntact = true
        // AUD-62: `OK` lines only when every chain is intact; on failure only the `BROKEN` lines,
        // printed as found. The `OK` lines wait in memory meanwhile (one short line per institution;
        // the events themselves are walked with a cursor).
        var intactLines: [String] = []
        do {
            try runtime.primary.withConnection { connection in
                try ChainVerifier.verify(institution: institution, recordedHead: recordedHead, on: connection) { verdict in
                    if verdict.isIntact {
                        intactLines.append(verdict.line)
                    } else {
                        allIntact = false
                        output(verdict.line)
                    }
                }
            }
        } catch RegistryError.notFound(let message) {
            throw CommandFailure(exitCode: 1, message)
        } catch {
            throw CommandFailure(exitCode: 1, "audit verify: \(error)")
        }
        guard allIntact else { return 1 }
        intactLines.forEach(output)
        return 0
    }
}
