import Postgres
import Testing

/// The per-connection prepared statement cache and its re-prepare rule.
@Suite struct PreparedStatementTests {
    let connection: PGConnection

    init() throws {
        connection = try freshConnection()
    }

    private func preparedCount(matching fragment: String) throws -> Int {
        let result = try connection.query(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE \("%" + fragment + "%") AND statement NOT LIKE '%pg_prepared_statements%'")
        return try result.int(0, 0) ?? -1
    }

    @Test func aStatementIsPreparedOnceAndReused() throws {
        for value in 0..<5 {
            let result = try connection.query("SELECT \(value) + 1 AS reuse_marker")
            #expect(try result.int(0, 0) == value + 1)
        }
        #expect(try preparedCount(matching: "reuse_marker") == 1)
    }

    @Test func reprepareAfterAlterTableChangesTheResultType() throws {
        try connection.execute("CREATE TABLE shapes (id int8)")
        _ = try connection.query("INSERT INTO shapes VALUES (\(1))")
        let before = try connection.query("SELECT * FROM shapes")
        #expect(before.columnCount == 1)
        try connection.execute("ALTER TABLE shapes ADD COLUMN label text DEFAULT 'x'")
        // Executing the cached plan now fails with 0A000; outside a transaction it is re-prepared.
        let after = try connection.query("SELECT * FROM shapes")
        #expect(after.columnCount == 2)
        #expect(after.string(0, 1) == "x")
    }

    @Test func insideATransactionTheStaleStatementErrorIsThrown() throws {
        try connection.execute("CREATE TABLE shapes (id int8)")
        _ = try connection.query("SELECT * FROM shapes")
        try connection.execute("ALTER TABLE shapes ADD COLUMN label text")
        let error = #expect(throws: PGError.self) {
            try connection.transaction { connection in
                _ = try connection.query("SELECT * FROM shapes")
            }
        }
        #expect(error?.sqlState == "0A000")
        #expect(connection.transactionState == .idle)
        // The stale entry was dropped, so the next use outside a transaction works.
        #expect(try connection.query("SELECT * FROM shapes").columnCount == 2)
    }

    @Test func aDeallocatedStatementIsPreparedAgain() throws {
        _ = try connection.query("SELECT \(1) AS dealloc_marker")
        try connection.execute("DEALLOCATE ALL")  // SQLSTATE 26000 on the next execute
        let result = try connection.query("SELECT \(2) AS dealloc_marker")
        #expect(try result.int(0, 0) == 2)
    }

    @Test func theCacheIsBoundedAndEvictsLeastRecentlyUsed() throws {
        // 300 distinct statements against a capacity of 256.
        for index in 0..<300 {
            var query: PGQuery = "SELECT "
            query.appendBinding(index)
            // Each statement needs its own SQL text (a bound value does not change the text).
            for _ in 0..<index { query.appendUnescaped(" + 0") }
            query.appendUnescaped(" AS lru_marker")
            _ = try connection.query(query)
        }
        let count = try preparedCount(matching: "lru_marker")
        #expect(count <= 256)
        #expect(count >= 200)
    }
}
