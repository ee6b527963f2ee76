import HTTPServer
import Postgres
import RegistryCore

/// The buffered body a snapshot export writes into: `StreamedJSON` (event export) or `PremisXML`.
protocol SnapshotExportOutput: SendableMetatype {
    init(writer: any ResponseBodyWriter)
    /// Whether any byte went to the client (then an error can no longer become a status code).
    var started: Bool { get }
    mutating func flush() throws
}

extension StreamedJSON: SnapshotExportOutput {}
extension PremisXML: SnapshotExportOutput {}

/// The ONE wrapper of the long streamed exports: `GET /events/export` (auditor.md AUD-13..16) and
/// `GET /objects/{obj}/premis` (AUD-20..25, which applies the AUD-13 bounds). The producer runs in
/// one REPEATABLE READ READ ONLY transaction, so the export is one consistent snapshot; the
/// statement timeout is off and `EXPORT_MAX_SECONDS` applies instead (AUD-14); a failure before the
/// first byte is a proper error response, after it only a truncated transfer is honest (AUD-15).
enum SnapshotExportStream {
    /// - Parameter produce: writes the body; it should call `deadline.check()` between batches
    ///   (a cancel that reaches an idle session is discarded, see `ExportDeadline`).
    static func response<Output: SnapshotExportOutput>(
        headers: HTTPHeaders, pool: PostgresPool, maxSeconds: Int, failures: StreamFailureMapper,
        produce: @escaping @Sendable (PGConnection, ExportDeadline, inout Output) throws -> Void
    ) -> HTTPResponse {
        HTTPResponse(status: 200, headers: headers, body: .stream { writer in
            var output = Output(writer: writer)
            do {
                try pool.withTransaction(.repeatableRead, readOnly: true) { connection in
                    // AUD-14: the statement timeout does not apply to exports; EXPORT_MAX_SECONDS does.
                    try connection.execute("SET LOCAL statement_timeout = 0")
                    let deadline = ExportDeadline(connection: connection, seconds: maxSeconds, writer: writer)
                    // Before the transaction ends, whichever way it ends (see ExportDeadline).
                    defer { deadline.finish() }
                    do {
                        try produce(connection, deadline, &output)
                    } catch let error as PGError where error.kind == .statementTimeout && deadline.hasExpired {
                        // The deadline's cancel stopped a running statement.
                        throw ExportDeadline.Exceeded(seconds: deadline.seconds)
                    }
                }
                // After COMMIT: the connection is back in the pool while the last bytes wait for
                // the client.
                try output.flush()
            } catch {
                if let exceeded = error as? ExportDeadline.Exceeded {
                    failures.logger.warn("export stopped", ["request_id": .string(failures.requestID),
                                                            "reason": .string(exceeded.description)])
                }
                // Before the first byte the failure can still be a proper error response (e.g. 503
                // when the pool is exhausted); after it, only a truncated transfer is honest.
                guard output.started else {
                    let answered = error is ExportDeadline.Exceeded
                        ? PGError(kind: .statementTimeout, message: String(describing: error)) : error
                    throw failures.failure(for: answered)
                }
                failures.logFailureMidStream(error)
                throw error
            }
        })
    }
}
