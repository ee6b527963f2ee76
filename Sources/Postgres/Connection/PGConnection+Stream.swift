extension PGConnection {
    /// Reads a large result in batches with constant memory (auditor.md AUD-13): DECLARE a NO SCROLL
    /// cursor for `query`, FETCH `batchSize` rows at a time and hand each batch to `onBatch`, then
    /// CLOSE it. Each batch is freed before the next one is fetched.
    ///
    /// Requires an open transaction (a cursor lives only inside one); run it within `transaction`,
    /// e.g. REPEATABLE READ READ ONLY for one consistent snapshot (AUD-14). An error thrown by
    /// `onBatch` stops the stream and is rethrown; `cancel()` from another thread stops a FETCH.
    public func stream(_ query: PGQuery, batchSize: Int = 1000, _ onBatch: (PGResult) throws -> Void) throws {
        precondition(batchSize > 0, "batchSize must be positive")
        guard transactionState == .inTransaction else {
            throw PGError.client("stream(_:) requires an open transaction")
        }
        cursorCounter += 1
        let cursor = "registry_stream_\(cursorCounter)"
        // The cursor name is generated here, never user input; the query text comes from a PGQuery.
        _ = try runUnnamed("DECLARE \(cursor) NO SCROLL CURSOR FOR \(query.sql)", query.bindings)
        do {
            while true {
                let batch = try execute("FETCH FORWARD \(batchSize) FROM \(cursor)")
                let rows = batch.rowCount
                if rows > 0 { try onBatch(batch) }
                if rows < batchSize { break }
            }
        } catch {
            if transactionState == .inTransaction { _ = try? execute("CLOSE \(cursor)") }
            throw error
        }
        try execute("CLOSE \(cursor)")
    }
}
