import CLibpq

extension PGConnection {
    /// Runs `query` and then COMMIT in ONE round trip (libpq pipeline mode), as the last statement
    /// of a `transaction` body; the transaction helper then does not commit again.
    ///
    /// Performance: for a transaction that holds a hot row lock until COMMIT (the event chain head,
    /// AUD-45), the usual "statement, wait for its result, COMMIT, wait" keeps the lock through one
    /// more client round trip — and under load that round trip includes waiting for this thread to
    /// be scheduled again. Here the server runs the COMMIT as soon as the statement finishes.
    ///
    /// If the statement fails, the server skips the COMMIT (the pipeline is aborted up to its sync
    /// point) and the error is thrown: the helper then rolls back as for any other failure.
    public func queryThenCommit(_ query: PGQuery) throws(PGError) -> PGResult {
        guard isInsideTransactionHelper, transactionState == .inTransaction else {
            throw PGError.client("queryThenCommit is only for the last statement of an open transaction")
        }
        let bindings = query.bindings
        if let position = bindings.firstParameterContainingNUL {
            throw PGError(kind: .other, sqlState: "22021", message: "parameter $\(position) contains a NUL byte")
        }
        let name = try preparedName(PreparedStatementCache.Key(sql: query.sql, typeOIDs: bindings.typeOIDs))
        guard PQenterPipelineMode(handle) == 1 else { throw PGError.fromConnection(handle, kind: .other) }
        let sent = bindings.withCParameters { values, count in
            PQsendQueryPrepared(handle, name, count, values, nil, nil, 0) == 1
        } && PQsendQueryParams(handle, "COMMIT", 0, nil, nil, nil, nil, 0) == 1 && PQpipelineSync(handle) == 1
        guard sent else {
            let error = PGError.fromConnection(handle, kind: .other)
            drainPipeline()
            throw error
        }
        // Results arrive in order: the statement's, then COMMIT's (or PIPELINE_ABORTED), each ended
        // by a null, then the sync point. Everything is read before anything is judged, so the
        // connection leaves pipeline mode clean whatever happened.
        let statement = PQgetResult(handle)
        drainResults()
        let commit = PQgetResult(handle)
        drainResults()
        drainPipeline()
        let result: PGResult
        do {
            result = try checkedResult(statement)
        } catch {
            if let commit { PQclear(commit) }
            throw error
        }
        let committed = try checkedResult(commit)
        guard committed.commandTag == "COMMIT" else {
            throw PGError.client("COMMIT reported \(committed.commandTag); the transaction was rolled back")
        }
        committedByBody = true
        return result
    }

    /// Reads up to and including the sync point, then leaves pipeline mode.
    private func drainPipeline() {
        while let raw = PQgetResult(handle) {
            let status = PQresultStatus(raw)
            PQclear(raw)
            if status == PGRES_PIPELINE_SYNC { break }
        }
        _ = PQexitPipelineMode(handle)
    }
}
