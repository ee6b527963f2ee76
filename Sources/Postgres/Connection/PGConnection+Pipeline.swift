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
    /// of it committed. A failure after COMMIT is thrown too, with the transaction committed (see
    /// `pipelinedCommit(_:thenRead:)` for a read that may fail on its own).
    public func pipelined(_ queries: [PGQuery], commitAfter: Int? = nil) throws(PGError) -> [PGResult] {
        var results: [PGResult] = []
        for outcome in try runJudged(queries, commitAfter: commitAfter) {
            results.append(try outcome.get())
        }
        return results
    }

    /// `queries`, COMMIT and then `read` in ONE round trip, as the end of a `transaction` body.
    /// Throws when a query or the COMMIT fails (nothing committed); `read` runs after the commit,
    /// so its failure does not undo anything and gives a nil read instead (the caller reads again
    /// or answers without it).
    public func pipelinedCommit(_ queries: [PGQuery], thenRead read: PGQuery) throws(PGError)
        -> (results: [PGResult], read: PGResult?) {
        let outcomes = try runJudged(queries + [read], commitAfter: queries.count)
        var results: [PGResult] = []
        for outcome in outcomes.dropLast() {
            results.append(try outcome.get())
        }
        return (results, try? outcomes[queries.count].get())
    }

    /// The work of `pipelined`: one outcome per query. Failures up to and including COMMIT are
    /// thrown; a query after COMMIT that fails has its failure as its outcome (and those after it
    /// were skipped by the server: their outcomes are that same failure).
    private func runJudged(_ queries: [PGQuery], commitAfter: Int?) throws(PGError) -> [Result<PGResult, PGError>] {
        guard isInsideTransactionHelper, transactionState == .inTransaction, !committedByBody else {
            throw PGError.client("pipelined statements run only inside an open transaction body")
        }
        if let commitAfter, commitAfter < 0 || commitAfter > queries.count {
            throw PGError.client("commitAfter \(commitAfter) is outside 0...\(queries.count)")
        }
        // Statements the session has not prepared yet are prepared first, outside pipeline mode.
        var commands: [PipelineCommand] = []
        var keys: [PreparedStatementCache.Key?] = []
        for (index, query) in queries.enumerated() {
            if index == commitAfter {
                commands.append(.simple("COMMIT"))
                keys.append(nil)
            }
            let bindings = query.bindings
            if let position = bindings.firstParameterContainingNUL {
                throw PGError(kind: .other, sqlState: "22021", message: "parameter $\(position) contains a NUL byte")
            }
            let key = PreparedStatementCache.Key(sql: query.sql, typeOIDs: bindings.typeOIDs)
            commands.append(.prepared(try preparedName(key), bindings))
            keys.append(key)
        }
        if commitAfter == queries.count {
            commands.append(.simple("COMMIT"))
            keys.append(nil)
        }
        // Only now, with nothing left that can fail before sending, does the deferred BEGIN go.
        if let begin = pendingBegin {
            pendingBegin = nil
            commands.insert(.simple(begin), at: 0)
            keys.insert(nil, at: 0)
        }

        let raws = try runPipeline(commands)
        var outcomes: [Result<PGResult, PGError>] = []
        var failureAfterCommit: PGError?
        var failureBeforeCommit: PGError?
        for (index, raw) in raws.enumerated() {
            let command = commands[index]
            if failureBeforeCommit != nil || failureAfterCommit != nil {
                // Skipped by the server after the failure; every result is read and freed.
                if let raw { PQclear(raw) }
                if let failureAfterCommit, case .prepared = command { outcomes.append(.failure(failureAfterCommit)) }
                continue
            }
            do throws(PGError) {
                let result = try checkedResult(raw)
                switch command {
                case .simple("COMMIT"):
                    guard result.commandTag == "COMMIT" else {
                        throw PGError.client("COMMIT reported \(result.commandTag); the transaction was rolled back")
                    }
                    committedByBody = true
                case .simple:
                    break  // BEGIN
                case .prepared:
                    outcomes.append(.success(result))
                }
            } catch {
                // A statement the session no longer has, or whose result type changed (DDL), is
                // prepared afresh next time, as `query` does.
                if error.isStaleStatement, let key = keys[index] { _ = statements.remove(key) }
                if committedByBody {
                    failureAfterCommit = error
                    if case .prepared = command { outcomes.append(.failure(error)) }
                } else {
                    failureBeforeCommit = error
                }
            }
        }
        if let failureBeforeCommit { throw failureBeforeCommit }
        return outcomes
    }

    /// The deferred BEGIN of `transaction` and the transaction's first statement, in one round
    /// trip: saves a round trip on every transaction.
    func beginThenRun(_ begin: String, name: String, _ bindings: PGBindings) throws(PGError) -> PGResult {
        let raws = try runPipeline([.simple(begin), .prepared(name, bindings)])
        do {
            _ = try checkedResult(raws[0])
        } catch {
            if let statement = raws[1] { PQclear(statement) }
            throw error
        }
        return try checkedResult(raws[1])
    }

    /// One command of a pipeline: a parameterless text (BEGIN, COMMIT) or a prepared statement.
    enum PipelineCommand {
        case simple(String)
        case prepared(String, PGBindings)
    }

    /// Sends `commands` and a sync point, then reads one result per command (PIPELINE_ABORTED for
    /// those the server skipped after a failure; nil if the connection broke). Everything is read
    /// before anything is judged, so the connection leaves pipeline mode clean whatever happened.
    /// The caller owns the results.
    private func runPipeline(_ commands: [PipelineCommand]) throws(PGError) -> [OpaquePointer?] {
        guard PQenterPipelineMode(handle) == 1 else { throw PGError.fromConnection(handle, kind: .other) }
        var sent = true
        for command in commands where sent {
            switch command {
            case .simple(let sql):
                sent = PQsendQueryParams(handle, sql, 0, nil, nil, nil, nil, 0) == 1
            case .prepared(let name, let bindings):
                sent = bindings.withCParameters { values, count in
                    PQsendQueryPrepared(handle, name, count, values, nil, nil, 0) == 1
                }
            }
        }
        guard sent && PQpipelineSync(handle) == 1 else {
            let error = PGError.fromConnection(handle, kind: .other)
            // What was sent is flushed by a sync point, so draining cannot wait for results the
            // server holds back; on a broken connection libpq answers at once.
            if PQstatus(handle) == CONNECTION_OK { _ = PQpipelineSync(handle) }
            drainPipeline()
            throw error
        }
        var raws: [OpaquePointer?] = []
        raws.reserveCapacity(commands.count)
        for _ in commands {
            let raw = PQgetResult(handle)
            raws.append(raw)
            // Each command's results end with a null; none came (a broken connection) means
            // there is nothing of this command left to skip.
            if raw != nil { drainResults() }
        }
        drainPipeline()
        return raws
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
