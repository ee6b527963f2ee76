import CLibpq

extension PGConnection {
    /// Runs `COPY … FROM STDIN` (`sql`) and streams the data `produce` sends, for bulk loads.
    /// `produce` receives a `send` function; send the data in the COPY format the statement names
    /// (text by default: tab-separated columns, one row per line), in chunks of any size.
    /// If `produce` throws, the COPY is aborted (nothing is loaded) and the error rethrown.
    /// Returns the number of rows copied.
    @discardableResult
    public func copyIn(_ sql: String, _ produce: (_ send: ([UInt8]) throws -> Void) throws -> Void) throws -> Int {
        try sendPendingBegin()
        guard let start = PQexec(handle, sql) else { throw PGError.fromConnection(handle, kind: .other) }
        let startResult = PGResult(handle: start)
        switch PQresultStatus(startResult.handle) {
        case PGRES_COPY_IN:
            break
        case PGRES_FATAL_ERROR, PGRES_NONFATAL_ERROR, PGRES_BAD_RESPONSE:
            throw PGError.fromFailedResult(start, connection: handle)
        case PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy()
            throw PGError.client("copyIn(_:_:) needs a COPY … FROM STDIN statement")
        default:
            throw PGError.client("copyIn(_:_:) needs a COPY … FROM STDIN statement")
        }
        do {
            try produce { bytes in
                guard !bytes.isEmpty else { return }
                precondition(bytes.count <= Int(Int32.max), "COPY chunk too large")
                let status = bytes.withUnsafeBytes { buffer in
                    PQputCopyData(handle, buffer.baseAddress!.assumingMemoryBound(to: CChar.self), Int32(buffer.count))
                }
                if status != 1 { throw PGError.fromConnection(handle, kind: .other) }
            }
        } catch {
            _ = PQputCopyEnd(handle, "COPY aborted by the client")
            drainResults()
            throw error
        }
        guard PQputCopyEnd(handle, nil) == 1 else { throw PGError.fromConnection(handle, kind: .other) }
        return try finishCopy()
    }

    /// Collects the results that end a COPY; the first failure wins.
    private func finishCopy() throws(PGError) -> Int {
        var rows = 0
        var failure: PGError?
        while let raw = PQgetResult(handle) {
            let result = PGResult(handle: raw)
            if PQresultStatus(raw) == PGRES_COMMAND_OK {
                rows = result.affectedRows
            } else if failure == nil {
                failure = PGError.fromFailedResult(raw, connection: handle)
            }
        }
        if let failure { throw failure }
        return rows
    }
}
