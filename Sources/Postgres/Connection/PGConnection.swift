import CLibpq

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One PostgreSQL session (a libpq `PGconn`), with its own prepared-statement cache.
///
/// Threading rule (libpq allows only one thread per `PGconn` at a time): a connection is used by
/// exactly ONE thread at a time, the thread that leased it from `PostgresPool` (or created it). Every
/// method is synchronous and blocks that thread on the network. The one exception is `cancel()`,
/// which any thread may call while the owner is blocked in a query. That rule is kept by the callers,
/// not by the compiler, hence `@unchecked Sendable`.
///
/// Never call this from Swift concurrency tasks: blocking calls would stall the cooperative pool
/// (two threads on this machine). Call it from the HTTP server's dedicated worker threads.
public final class PGConnection: @unchecked Sendable {
    let handle: OpaquePointer
    /// Obtained once at connect; `PQcancel` on it is safe from any thread (it opens its own socket).
    private let cancelHandle: OpaquePointer?
    var statements = PreparedStatementCache(capacity: 256)
    /// True while `transaction(…)` runs its body, to refuse nesting.
    var isInsideTransactionHelper = false
    /// Set by `queryThenCommit`: the body already committed, so the transaction helper must not.
    var committedByBody = false
    /// The BEGIN of `transaction`, not sent yet: it leaves with the transaction's first statement
    /// (see `transaction`).
    var pendingBegin: String?
    /// Makes cursor names unique within this session.
    var cursorCounter = 0

    private init(handle: OpaquePointer) {
        self.handle = handle
        self.cancelHandle = PQgetCancel(handle)
        registerSession()
    }

    deinit {
        unregisterSession()
        if let cancelHandle { PQfreeCancel(cancelHandle) }
        PQfinish(handle)
    }

    /// Opens a session; blocks up to `settings.connectTimeoutSeconds` per address tried.
    public static func connect(_ settings: PGConnectionSettings) throws(PGError) -> PGConnection {
        let parameters = settings.connectionParameters
        // strdup'd copies live until the end of this function, so the pointer tables below never
        // outlive the strings they point to.
        let keys = parameters.map { strdup($0.key) }
        let values = parameters.map { strdup($0.value) }
        defer {
            keys.forEach { free($0) }
            values.forEach { free($0) }
        }
        let keyTable: [UnsafePointer<CChar>?] = keys.map { UnsafePointer($0) } + [nil]
        let valueTable: [UnsafePointer<CChar>?] = values.map { UnsafePointer($0) } + [nil]
        guard let handle = PQconnectdbParams(keyTable, valueTable, 1) else {
            throw PGError(kind: .connectionFailure, message: "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let error = PGError.fromConnection(handle)
            PQfinish(handle)
            throw error
        }
        // libpq prints NOTICEs ("relation already exists, skipping") to stderr by default; the
        // server's stderr is reserved for our own structured messages.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        return PGConnection(handle: handle)
    }

    /// False once the session is broken (server gone, connection reset); the pool then discards it.
    public var isUsable: Bool { PQstatus(handle) == CONNECTION_OK }

    /// Where the session stands with respect to transaction blocks.
    public var transactionState: PGTransactionState {
        if pendingBegin != nil { return .inTransaction }
        switch PQtransactionStatus(handle) {
        case PQTRANS_IDLE: return .idle
        case PQTRANS_ACTIVE: return .active
        case PQTRANS_INTRANS: return .inTransaction
        case PQTRANS_INERROR: return .failed
        default: return .unknown
        }
    }

    /// The server's process id for this session (as in `pg_stat_activity.pid`).
    public var backendPID: Int { Int(PQbackendPID(handle)) }

    /// Asks the server to cancel the statement this connection is running. Callable from ANY
    /// thread (the only such method). The running call then fails with `.statementTimeout`
    /// (SQLSTATE 57014). Returns false if the request could not be delivered.
    ///
    /// The server cancels whatever the session runs when the request arrives, so a cancel that
    /// races with the owner finishing may hit the owner's NEXT statement, or, once the connection is
    /// back in the pool, another lessee's. Callers must coordinate with the owner (e.g. a flag
    /// checked under a lock that the owner sets before moving on), as `PostgresPool.ping` does.
    @discardableResult
    public func cancel() -> Bool {
        guard let cancelHandle else { return false }
        // A local error buffer: PQcancel is documented as safe to call concurrently this way.
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 256) { buffer in
            PQcancel(cancelHandle, buffer.baseAddress, 256) == 1
        }
    }

    /// Runs `sql` with the simple query protocol: several statements separated by `;` are allowed
    /// (migrations, SET, BEGIN). No parameters: never build `sql` from untrusted input. Returns the
    /// result of the last statement.
    @discardableResult
    public func execute(_ sql: String) throws(PGError) -> PGResult {
        try sendPendingBegin()
        return try checkedResult(PQexec(handle, sql))
    }

    /// Sends the deferred BEGIN of `transaction` on its own, for the paths that cannot carry it
    /// along with their statement (simple protocol, COPY, unnamed statements).
    func sendPendingBegin() throws(PGError) {
        guard let begin = pendingBegin else { return }
        pendingBegin = nil
        _ = try checkedResult(PQexec(handle, begin))
    }

    /// Wraps a result and throws its error if it failed. Statements that unexpectedly entered COPY
    /// mode are aborted so the session stays usable.
    func checkedResult(_ raw: OpaquePointer?) throws(PGError) -> PGResult {
        guard let raw else { throw PGError.fromConnection(handle, kind: .other) }
        let result = PGResult(handle: raw)
        switch PQresultStatus(raw) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return result
        case PGRES_COPY_IN, PGRES_COPY_OUT, PGRES_COPY_BOTH:
            abandonCopy()
            throw PGError.client("COPY is only supported through copyIn(_:_:)")
        default:
            throw PGError.fromFailedResult(raw, connection: handle)
        }
    }

    /// Ends a COPY the caller did not ask for, and consumes every pending result.
    func abandonCopy() {
        _ = PQputCopyEnd(handle, "COPY not supported here")
        var buffer: UnsafeMutablePointer<CChar>?
        while PQgetCopyData(handle, &buffer, 0) > 0 {
            PQfreemem(buffer)
        }
        drainResults()
    }

    /// Reads and frees results until libpq reports the command complete (null).
    func drainResults() {
        while let raw = PQgetResult(handle) {
            PQclear(raw)
        }
    }
}

/// `PQtransactionStatus`, as a Swift enum.
public enum PGTransactionState: Sendable, Hashable {
    /// No transaction block open.
    case idle
    /// A command is in progress.
    case active
    /// Inside a transaction block that can still commit.
    case inTransaction
    /// Inside a transaction block that an error aborted: only ROLLBACK will work.
    case failed
    /// The connection is bad.
    case unknown
}
