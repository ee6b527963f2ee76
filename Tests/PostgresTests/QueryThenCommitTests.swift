import Postgres
import Testing
import TestSupport

/// `PGConnection.queryThenCommit` and `pipelined`: statements of a transaction, its COMMIT and reads
/// after it in one pipeline (used by event writes, which hold the chain-head lock until COMMIT).
@Suite struct QueryThenCommitTests {
    let conninfo: String
    let connection: PGConnection

    init() throws {
        conninfo = try TestPostgres.freshDatabase()
        connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        try connection.execute("CREATE TABLE notes (id int8 PRIMARY KEY, body text)")
    }

    private func bodies() throws -> [String] {
        let result = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
            .query("SELECT body FROM notes ORDER BY id")
        return (0..<result.rowCount).map { result.string($0, 0) ?? "" }
    }

    @Test func theStatementAndEverythingBeforeItCommit() throws {
        let returned = try connection.transaction { connection in
            _ = try connection.query("INSERT INTO notes VALUES (\(1), \("first"))")
            let result = try connection.queryThenCommit("INSERT INTO notes VALUES (\(2), \("last")) RETURNING id")
            return try result.int64(0, 0)
        }
        #expect(returned == 2)
        #expect(try bodies() == ["first", "last"])
        #expect(connection.transactionState == .idle)
        // The connection left pipeline mode: ordinary statements and transactions work again, and
        // the prepared statement is reused.
        try connection.transaction { connection in
            _ = try connection.queryThenCommit("INSERT INTO notes VALUES (\(3), \("again")) RETURNING id")
        }
        #expect(try connection.query("SELECT count(*) FROM notes").int(0, 0) == 3)
    }

    @Test func aFailingStatementSkipsTheCommitAndRollsEverythingBack() throws {
        let error = #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.query("INSERT INTO notes VALUES (\(1), \("first"))")
                _ = try connection.queryThenCommit("INSERT INTO notes VALUES (\(1), \("duplicate"))")
            }
        }
        #expect(error?.sqlState == "23505")
        #expect(try bodies().isEmpty)
        #expect(connection.transactionState == .idle)
        #expect(try connection.query("SELECT 1").int(0, 0) == 1)
    }

    @Test func aStatementAfterItIsRefusedInsteadOfRunningOutsideTheTransaction() throws {
        #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.queryThenCommit("INSERT INTO notes VALUES (\(1), \("committed"))")
                _ = try connection.query("INSERT INTO notes VALUES (\(2), \("stray"))")
            }
        }
        #expect(try bodies() == ["committed"])
        #expect(connection.transactionState == .idle)
    }

    @Test func outsideATransactionItIsRefused() throws {
        #expect(throws: PGError.self) {
            _ = try connection.queryThenCommit("INSERT INTO notes VALUES (\(1), \("x"))")
        }
        #expect(try bodies().isEmpty)
    }

    @Test func pipelinedRunsInOrderAndReadsAfterTheCommitSeeItsRows() throws {
        let results = try connection.transaction { connection in
            try connection.pipelined([
                "INSERT INTO notes VALUES (\(1), \("one")) RETURNING id",
                "UPDATE notes SET body = body || \("+two") WHERE id = \(1) RETURNING body",
                "SELECT count(*), current_setting('transaction_isolation') FROM notes WHERE body = \("one+two")",
            ], commitAfter: 2)
        }
        #expect(results.count == 3)
        #expect(try results[0].int64(0, 0) == 1)
        #expect(results[1].string(0, 0) == "one+two")
        #expect(try results[2].int(0, 0) == 1)
        #expect(try bodies() == ["one+two"])
        #expect(connection.transactionState == .idle)
        // Without a COMMIT the transaction stays open, and the helper commits it.
        let count = try connection.transaction { connection in
            let results = try connection.pipelined(["INSERT INTO notes VALUES (\(2), \("two"))", "SELECT count(*) FROM notes"])
            #expect(connection.transactionState == .inTransaction)
            return try results[1].int(0, 0)
        }
        #expect(count == 2)
        #expect(try bodies() == ["one+two", "two"])
    }

    @Test func aPipelinedFailureBeforeTheCommitSkipsTheRestAndRollsBack() throws {
        let error = #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.query("INSERT INTO notes VALUES (\(1), \("first"))")
                _ = try connection.pipelined([
                    "INSERT INTO notes VALUES (\(2), \("second"))",
                    "INSERT INTO notes VALUES (\(1), \("duplicate"))",
                    "INSERT INTO notes VALUES (\(3), \("after the commit"))",
                ], commitAfter: 2)
            }
        }
        #expect(error?.sqlState == "23505")
        #expect(try bodies().isEmpty)
        #expect(connection.transactionState == .idle)
        #expect(try connection.query("SELECT 1").int(0, 0) == 1)
    }

    @Test func aPipelinedFailureAfterTheCommitIsThrownWithTheTransactionCommitted() throws {
        let error = #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.pipelined([
                    "INSERT INTO notes VALUES (\(1), \("committed"))",
                    "INSERT INTO notes VALUES (\(1), \("duplicate after the commit"))",
                ], commitAfter: 1)
            }
        }
        #expect(error?.sqlState == "23505")
        #expect(try bodies() == ["committed"])
        #expect(connection.transactionState == .idle)
    }

    @Test func pipelinedRefusesAnOutOfRangeCommitAndRunsNothing() throws {
        #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.pipelined(["INSERT INTO notes VALUES (\(1), \("x"))"], commitAfter: 2)
            }
        }
        #expect(try bodies().isEmpty)
    }

    @Test func pipelinedCommitGivesANilReadWhenOnlyTheReadFails() throws {
        let done = try connection.transaction { connection in
            try connection.pipelinedCommit(["INSERT INTO notes VALUES (\(1), \("kept")) RETURNING id"],
                                           thenRead: "SELECT 1 / (count(*) - \(1)) FROM notes")
        }
        #expect(try done.results[0].int64(0, 0) == 1)
        #expect(done.read == nil)
        #expect(try bodies() == ["kept"])
        #expect(connection.transactionState == .idle)
        let read = try connection.transaction { connection in
            try connection.pipelinedCommit([], thenRead: "SELECT count(*) FROM notes WHERE body = \("kept")").read
        }
        #expect(try read?.int(0, 0) == 1)
    }

    @Test func aStatementMadeStaleByDDLIsPreparedAfreshOnTheNextPipeline() throws {
        let statement: PGQuery = "SELECT * FROM notes WHERE id = \(1)"
        try connection.transaction { connection in
            _ = try connection.pipelined(["INSERT INTO notes VALUES (\(1), \("x"))", statement])
        }
        try connection.execute("ALTER TABLE notes ADD COLUMN extra int")
        #expect(throws: PGError.self) {
            try connection.transaction { connection in _ = try connection.pipelined([statement]) }
        }
        let columns = try connection.transaction { connection in try connection.pipelined([statement])[0].columnCount }
        #expect(columns == 3)
    }
}
