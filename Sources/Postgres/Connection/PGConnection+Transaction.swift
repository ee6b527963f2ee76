/// Transaction isolation levels.
public enum PGIsolation: Sendable, Hashable {
    case readCommitted
    case repeatableRead
    case serializable

    var sql: String {
        switch self {
        case .readCommitted: return "READ COMMITTED"
        case .repeatableRead: return "REPEATABLE READ"
        case .serializable: return "SERIALIZABLE"
        }
    }
}

extension PGConnection {
    /// Runs `body` inside BEGIN … COMMIT; any error thrown by `body` rolls back and is rethrown.
    ///
    /// Nesting is refused (throws `.other`): savepoint semantics are never what a caller silently
    /// expects. If `body` caught a database error and returned normally, the transaction is already
    /// aborted on the server; committing would quietly roll back, so it rolls back and throws.
    /// A failing COMMIT (e.g. `.serializationFailure` under SERIALIZABLE) throws; the caller decides
    /// whether to retry.
    public func transaction<T>(
        _ isolation: PGIsolation = .readCommitted, readOnly: Bool = false,
        _ body: (PGConnection) throws -> T
    ) throws -> T {
        guard !isInsideTransactionHelper, transactionState == .idle else {
            throw PGError.client("nested transaction: this connection is already inside a transaction block")
        }
        // Performance: BEGIN is not sent on its own; it leaves with the body's first statement, in
        // one round trip (`pendingBegin`, `beginThenRun`), which saves a round trip per transaction
        // (of the 6-7 a POST event costs). A body that runs no statement sends nothing at all.
        pendingBegin = "BEGIN ISOLATION LEVEL \(isolation.sql)\(readOnly ? " READ ONLY" : "")"
        isInsideTransactionHelper = true
        committedByBody = false
        defer {
            isInsideTransactionHelper = false
            committedByBody = false
            pendingBegin = nil
        }
        let value: T
        do {
            value = try body(self)
        } catch {
            rollbackQuietly()
            throw error
        }
        if committedByBody { return value }  // `queryThenCommit` ended the transaction
        if pendingBegin != nil { return value }  // nothing was sent: nothing to commit
        if transactionState == .failed {
            rollbackQuietly()
            throw PGError.client("transaction aborted by an earlier error that was caught; rolled back")
        }
        let commit = try execute("COMMIT")
        if commit.commandTag != "COMMIT" {
            throw PGError.client("COMMIT reported \(commit.commandTag); the transaction was rolled back")
        }
        return value
    }

    /// ROLLBACK, ignoring failure: on a dead connection there is nothing left to roll back, and the
    /// pool discards the connection anyway.
    func rollbackQuietly() {
        if pendingBegin != nil {
            pendingBegin = nil  // the transaction never reached the server
            return
        }
        _ = try? execute("ROLLBACK")
    }
}
