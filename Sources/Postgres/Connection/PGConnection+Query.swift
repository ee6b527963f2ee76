import CLibpq

extension PGConnection {
    /// Runs `query` as a prepared statement (extended protocol, text parameters and results).
    ///
    /// Each distinct SQL text is prepared once per session (`PQprepare`, named `s1`, `s2`, …) and
    /// then only executed (`PQexecPrepared`), so the server parses and plans it once. When the
    /// server says a cached statement went stale — SQLSTATE 0A000 "cached plan must not change result
    /// type" after DDL, or 26000 "prepared statement does not exist" — the statement is prepared again
    /// and run once more, but only outside a transaction block: inside one the failure has already
    /// aborted the transaction, so the error is thrown.
    public func query(_ query: PGQuery) throws(PGError) -> PGResult {
        guard !committedByBody else {
            // It would run outside the transaction the caller thinks it is in.
            throw PGError.client("a statement after queryThenCommit, inside the same transaction body")
        }
        let bindings = query.bindings
        if let position = bindings.firstParameterContainingNUL {
            // What the server would say for a NUL in text; libpq would otherwise truncate silently.
            throw PGError(kind: .other, sqlState: "22021", message: "parameter $\(position) contains a NUL byte")
        }
        let key = PreparedStatementCache.Key(sql: query.sql, typeOIDs: bindings.typeOIDs)
        // Only a statement that came from the cache can be stale; a fresh one fails for real.
        let wasCached = statements.contains(key)
        do {
            return try runPrepared(key, bindings)
        } catch let error where wasCached && error.isStaleStatement {
            if let name = statements.remove(key) { deallocate(name) }
            guard transactionState == .idle else { throw error }
            return try runPrepared(key, bindings)
        }
    }

    /// Prepares the statement unless the session already has it, then executes it.
    private func runPrepared(_ key: PreparedStatementCache.Key, _ bindings: PGBindings) throws(PGError) -> PGResult {
        let name = try preparedName(key)
        if let begin = pendingBegin {
            pendingBegin = nil
            return try beginThenRun(begin, name: name, bindings)
        }
        let raw = bindings.withCParameters { values, count in
            PQexecPrepared(handle, name, count, values, nil, nil, 0)
        }
        return try checkedResult(raw)
    }

    /// The session's name for the statement, preparing it first if the session does not have it.
    func preparedName(_ key: PreparedStatementCache.Key) throws(PGError) -> String {
        if let cached = statements.lookup(key) { return cached }
        let name = statements.makeName()
        let prepared = key.typeOIDs.withUnsafeBufferPointer { types in
            PQprepare(handle, name, key.sql, Int32(types.count), types.baseAddress)
        }
        _ = try checkedResult(prepared)
        if let evicted = statements.insert(key, name: name) { deallocate(evicted) }
        return name
    }

    /// Runs `sql` with `bindings` as an unnamed (uncached) statement, for one-off statements such as
    /// DECLARE whose text changes every time.
    func runUnnamed(_ sql: String, _ bindings: PGBindings) throws(PGError) -> PGResult {
        if let position = bindings.firstParameterContainingNUL {
            throw PGError(kind: .other, sqlState: "22021", message: "parameter $\(position) contains a NUL byte")
        }
        try sendPendingBegin()
        let raw = bindings.typeOIDs.withUnsafeBufferPointer { types in
            bindings.withCParameters { values, count in
                PQexecParams(handle, sql, count, types.baseAddress, values, nil, nil, 0)
            }
        }
        return try checkedResult(raw)
    }

    /// Frees a server-side statement. Skipped inside an aborted transaction (the server would refuse);
    /// the orphan then costs a little session memory until the connection closes.
    private func deallocate(_ name: String) {
        guard transactionState == .idle || transactionState == .inTransaction else { return }
        _ = try? execute("DEALLOCATE \(name)")
    }
}

extension PGError {
    /// SQLSTATEs meaning a cached prepared statement no longer fits the schema or the session.
    var isStaleStatement: Bool {
        sqlState == "0A000" || sqlState == "26000"
    }
}
