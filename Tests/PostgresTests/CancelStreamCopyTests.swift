import Foundation
import Postgres
import Testing

private struct StopStreaming: Error {}

/// cancel() from another thread, cursor streaming (AUD-13) and COPY FROM STDIN.
@Suite struct CancelStreamCopyTests {
    let connection: PGConnection

    init() throws {
        connection = try freshConnection()
    }

    @Test func cancelFromAnotherThreadStopsALongStatement() throws {
        let connection = self.connection
        let canceller = BackgroundThread {
            Thread.sleep(forTimeInterval: 0.3)
            connection.cancel()
        }
        var caught: PGError?
        let seconds = measure {
            caught = #expect(throws: PGError.self) { try connection.query("SELECT pg_sleep(\(30))") }
        }
        canceller.wait()
        #expect(caught?.sqlState == "57014")
        #expect(caught?.kind == .statementTimeout)
        #expect(seconds < 5, "took \(seconds) s")
        #expect(try connection.query("SELECT \(1)").int(0, 0) == 1)
    }

    @Test func streamReadsAllRowsInBatches() throws {
        let total = 200_000
        var seen = 0
        var batches = 0
        var largestBatch = 0
        var inOrder = true
        try connection.transaction(.repeatableRead, readOnly: true) { connection in
            try connection.stream(
                "SELECT g, md5(g::text) FROM generate_series(1, \(total)) AS g WHERE g > \(0) ORDER BY g",
                batchSize: 1000
            ) { batch in
                batches += 1
                largestBatch = max(largestBatch, batch.rowCount)
                for row in 0..<batch.rowCount {
                    if try batch.int(row, 0) != seen + row + 1 { inOrder = false }
                }
                seen += batch.rowCount
            }
        }
        #expect(seen == total)
        #expect(batches == total / 1000)
        #expect(largestBatch == 1000)
        #expect(inOrder)
    }

    @Test func streamNeedsATransaction() throws {
        let error = #expect(throws: PGError.self) {
            try connection.stream("SELECT 1") { _ in }
        }
        #expect(error?.kind == .other)
    }

    @Test func anErrorFromTheBatchHandlerStopsTheStreamAndClosesTheCursor() throws {
        try connection.transaction { connection throws in
            var calls = 0
            #expect(throws: StopStreaming.self) {
                try connection.stream("SELECT g FROM generate_series(1, 10000) AS g", batchSize: 100) { _ in
                    calls += 1
                    if calls == 3 { throw StopStreaming() }
                }
            }
            #expect(calls == 3)
            #expect(try connection.query("SELECT count(*) FROM pg_cursors WHERE name LIKE 'registry_stream%'").int(0, 0) == 0)
            // The transaction is still usable.
            #expect(try connection.query("SELECT \(1)").int(0, 0) == 1)
        }
    }

    @Test func streamOfAnEmptyResultCallsNothing() throws {
        var calls = 0
        try connection.transaction { connection in
            try connection.stream("SELECT 1 WHERE false") { _ in calls += 1 }
        }
        #expect(calls == 0)
    }

    @Test func copyInLoadsManyRows() throws {
        try connection.execute("CREATE TABLE bulk (id int8 PRIMARY KEY, name text NOT NULL)")
        let total = 100_000
        let copied = try connection.copyIn("COPY bulk (id, name) FROM STDIN") { send in
            var chunk: [UInt8] = []
            for id in 1...total {
                chunk.append(contentsOf: "\(id)\tname \(id) ✓\n".utf8)
                if chunk.count > 64 * 1024 {
                    try send(chunk)
                    chunk.removeAll(keepingCapacity: true)
                }
            }
            try send(chunk)
        }
        #expect(copied == total)
        let check = try connection.query("SELECT count(*), sum(id), max(name) FILTER (WHERE id = 7) FROM bulk")
        #expect(try check.int(0, 0) == total)
        #expect(try check.int64(0, 1) == Int64(total) * Int64(total + 1) / 2)
        #expect(check.string(0, 2) == "name 7 ✓")
    }

    @Test func anAbortedCopyLoadsNothing() throws {
        try connection.execute("CREATE TABLE bulk (id int8)")
        #expect(throws: StopStreaming.self) {
            try connection.copyIn("COPY bulk FROM STDIN") { send in
                try send(Array("1\n2\n".utf8))
                throw StopStreaming()
            }
        }
        #expect(try connection.query("SELECT count(*) FROM bulk").int(0, 0) == 0)
        #expect(connection.transactionState == .idle)
    }

    @Test func badCopyDataIsReportedAndTheConnectionStaysUsable() throws {
        try connection.execute("CREATE TABLE bulk (id int8)")
        let error = #expect(throws: PGError.self) {
            try connection.copyIn("COPY bulk FROM STDIN") { send in
                try send(Array("1\nnot-a-number\n".utf8))
            }
        }
        #expect(error?.sqlState == "22P02")
        #expect(try connection.query("SELECT count(*) FROM bulk").int(0, 0) == 0)
    }

    @Test func executeRefusesAnUnexpectedCopy() throws {
        try connection.execute("CREATE TABLE bulk (id int8)")
        #expect(throws: PGError.self) { try connection.execute("COPY bulk FROM STDIN") }
        #expect(try connection.query("SELECT \(1)").int(0, 0) == 1)
    }
}
