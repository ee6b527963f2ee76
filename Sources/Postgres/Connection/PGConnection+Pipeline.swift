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
        try pipelined([query], commitAfter: 1)[0]
    }

    /// Runs `queries` in order in ONE round trip (libpq pipeline mode) inside the open transaction
    /// of a `transaction` body, and returns their results. With `commitAfter: n`, COMMIT is sent
    /// after the first `n` queries and the rest run after it, outside the transaction (reads that
    /// must not hold its locks); the helper then does not commit again.
    ///
    /// Performance: statements that follow each other under a hot lock (AUD-45's chain head) would
    /// otherwise hold it through a client round trip each, and under load each round trip includes
    /// waiting for this thread to be scheduled again.
    ///
    /// The first failure is thrown: the server skips everything after it up to the sync point, so
    /// a failure before COMMIT leaves the transaction aborted (the helper rolls it back) and nothing
    /// of it committed. A failure after COMMIT is thrown too, with the transaction committed.
    public func pipelined(_ queries: [PGQuery], commitAfter: Int? = nil) throws(PGError) -> [PGResult] {
        guard isInsideTransactionHelper, transactionState == .inTransaction, !committedByBody else {
            throw PGError.client("pipelined statements run only inside an open transaction body")
        }
        if let commitAfter, commitAfter < 0 || commitAfter > queries.count {
            throw PGError.client("commitAfter \(commitAfter) is outside 0...\(queries.count)")
        }
        // Statements the session has not prepared yet are prepared first, outside pipeline mode.
        var names: [String] = []
        for query in queries {
            let bindings = query.bindings
            if let position = bindings.firstParameterContainingNUL {
                throw PGError(kind: .other, sqlState: "22021", message: "parameter $\(position) contains a NUL byte")
            }
            names.append(try preparedName(PreparedStatementCache.Key(sql: query.sql, typeOIDs: bindings.typeOIDs)))
        }
        guard PQenterPipelineMode(handle) == 1 else { throw PGError.fromConnection(handle, kind: .other) }
        var sent = true
        for (index, query) in queries.enumerated() {
            if index == commitAfter { sent = sent && sendCommit() }
            sent = sent && query.bindings.withCParameters { values, count in
                PQsendQueryPrepared(handle, names[index], count, values, nil, nil, 0) == 1
            }
        }
        if commitAfter == queries.count { sent = sent && sendCommit() }
        guard sent && PQpipelineSync(handle) == 1 else {
            let error = PGError.fromConnection(handle, kind: .other)
            drainPipeline()
            throw error
        }
        // Results arrive in order, one per command (PIPELINE_ABORTED for those skipped after a
        // failure), each ended by a null, then the sync point. Everything is read before anything
        // is judged, so the connection leaves pipeline mode clean whatever happened.
        let commandCount = queries.count + (commitAfter == nil ? 0 : 1)
        var raws: [OpaquePointer?] = []
        raws.reserveCapacity(commandCount)
        for _ in 0..<commandCount {
            raws.append(PQgetResult(handle))
            drainResults()
        }
        drainPipeline()
        var results: [PGResult] = []
        var failure: PGError?
        for (position, raw) in raws.enumerated() {
            guard failure == nil else {
                if let raw { PQclear(raw) }
                continue
            }
            do throws(PGError) {
                let result = try checkedResult(raw)
                if position == commitAfter {
                    guard result.commandTag == "COMMIT" else {
                        throw PGError.client("COMMIT reported \(result.commandTag); the transaction was rolled back")
                    }
                    committedByBody = true
                } else {
                    results.append(result)
                }
            } catch {
                failure = error
            }
        }
        if let failure { throw failure }
        return results
    }

    private func sendCommit() -> Bool {
        PQsendQueryParams(handle, "COMMIT", 0, nil, nil, nil, nil, 0) == 1
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
