import Postgres
import TestSupport
import Testing
import TestSupport

private struct Abort: Error {}

/// `PGConnection.transaction`: commit, rollback, nesting, aborted transactions.
@Suite struct TransactionTests {
    let conninfo: String
    let connection: PGConnection

    init() throws {
        conninfo = try TestPostgres.freshDatabase()
        connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        try connection.execute("CREATE TABLE notes (id int8 PRIMARY KEY, body text)")
    }

    private func count() throws -> Int {
        try connection.query("SELECT count(*) FROM notes").int(0, 0) ?? -1
    }

    @Test func commitMakesChangesVisibleToOtherSessions() throws {
        let returned = try connection.transaction { connection in
            _ = try connection.query("INSERT INTO notes VALUES (\(1), \("a"))")
            return 7
        }
        #expect(returned == 7)
        let other = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        #expect(try other.query("SELECT body FROM notes WHERE id = \(1)").string(0, 0) == "a")
        #expect(connection.transactionState == .idle)
    }

    @Test func anErrorFromTheBodyRollsBackAndIsRethrown() throws {
        #expect(throws: Abort.self) {
            try connection.transaction { connection in
                _ = try connection.query("INSERT INTO notes VALUES (\(1), \("a"))")
                throw Abort()
            }
        }
        #expect(try count() == 0)
        #expect(connection.transactionState == .idle)
    }

    @Test func nestingIsRefused() throws {
        try connection.transaction { connection in
            _ = try connection.query("INSERT INTO notes VALUES (\(1), \("outer"))")
            let error = #expect(throws: PGError.self) {
                try connection.transaction { _ in }
            }
            #expect(error?.kind == .other)
        }
        #expect(try count() == 1)  // the outer transaction still committed
    }

    @Test func aCaughtDatabaseErrorCannotBeCommittedSilently() throws {
        _ = try connection.query("INSERT INTO notes VALUES (\(1), \("a"))")
        #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.query("INSERT INTO notes VALUES (\(2), \("b"))")
                _ = try? connection.query("INSERT INTO notes VALUES (\(1), \("duplicate"))")
            }
        }
        #expect(try count() == 1)
        #expect(connection.transactionState == .idle)
    }

    @Test func isolationLevelAndReadOnly() throws {
        let level = try connection.transaction(.serializable) { connection in
            try connection.query("SHOW transaction_isolation").string(0, 0)
        }
        #expect(level == "serializable")
        let repeatable = try connection.transaction(.repeatableRead, readOnly: true) { connection in
            try connection.query("SHOW transaction_isolation").string(0, 0)
        }
        #expect(repeatable == "repeatable read")
        let error = #expect(throws: PGError.self) {
            try connection.transaction(readOnly: true) { connection in
                _ = try connection.query("INSERT INTO notes VALUES (\(9), \("x"))")
            }
        }
        #expect(error?.sqlState == "25006")
    }

    /// BEGIN leaves with the body's first statement (one round trip); every path that sends a
    /// statement must still run inside the one transaction.
    @Test func theDeferredBeginStillWrapsEveryKindOfStatement() throws {
        let ids = try connection.transaction { connection in
            #expect(connection.transactionState == .inTransaction)  // before anything was sent
            let first = try connection.query("SELECT txid_current()").int64(0, 0)
            try connection.execute("INSERT INTO notes VALUES (1, 'simple protocol')")
            _ = try connection.copyIn("COPY notes (id, body) FROM STDIN") { send in try send(Array("2\tcopy\n".utf8)) }
            let last = try connection.query("SELECT txid_current()").int64(0, 0)
            return [first, last]
        }
        #expect(ids[0] != nil && ids[0] == ids[1])
        #expect(try count() == 2)
        // COPY as the first statement carries the BEGIN too: its rows roll back with the body.
        #expect(throws: Abort.self) {
            try connection.transaction { connection in
                _ = try connection.copyIn("COPY notes (id, body) FROM STDIN") { send in try send(Array("3\tgone\n".utf8)) }
                throw Abort()
            }
        }
        // So does the simple protocol.
        #expect(throws: Abort.self) {
            try connection.transaction { connection in
                try connection.execute("INSERT INTO notes VALUES (4, 'gone')")
                throw Abort()
            }
        }
        #expect(try count() == 2)
    }

    @Test func aBodyWithoutStatementsSendsNothingAndLeavesTheSessionIdle() throws {
        let value = try connection.transaction { _ in 42 }
        #expect(value == 42)
        #expect(connection.transactionState == .idle)
        #expect(throws: Abort.self) {
            try connection.transaction { _ in throw Abort() }
        }
        #expect(connection.transactionState == .idle)
        // The next transaction is a fresh one (the earlier BEGIN was never sent, so none is open).
        try connection.transaction { connection in
            _ = try connection.query("INSERT INTO notes VALUES (\(1), \("after"))")
        }
        #expect(try count() == 1)
    }

    @Test func aFailingFirstStatementRollsBackAndTheSessionIsUsable() throws {
        let error = #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.query("SELECT 1 / \(0)")
            }
        }
        #expect(error?.sqlState == "22012")
        #expect(connection.transactionState == .idle)
        #expect(try count() == 0)
    }
}
