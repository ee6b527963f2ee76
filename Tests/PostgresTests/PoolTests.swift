import Foundation
import Postgres
import TestSupport
import Testing
import TestSupport

/// PostgresPool: leasing, waiting, resetting, statistics (OPS-56, OPS-37).
@Suite struct PoolTests {
    let conninfo: String

    init() throws {
        conninfo = try TestPostgres.freshDatabase()
    }

    private func makePool(size: Int, acquireTimeout: Duration = .seconds(10)) -> PostgresPool {
        PostgresPool(PostgresPoolConfiguration(
            connection: PGConnectionSettings(connectionString: conninfo, applicationName: "pool-tests"),
            maximumConnections: size, acquireTimeout: acquireTimeout))
    }

    @Test func exhaustionTimesOutAfterTheAcquireTimeout() throws {
        // OPS-56: every connection held on other threads → .poolTimeout after about the timeout.
        let pool = makePool(size: 2, acquireTimeout: .milliseconds(500))
        let holding = DispatchSemaphore(value: 0)
        let letGo = DispatchSemaphore(value: 0)
        let holders = (0..<2).map { _ in
            BackgroundThread {
                try? pool.withConnection { _ in
                    holding.signal()
                    letGo.wait()
                }
            }
        }
        holding.wait()
        holding.wait()
        var caught: PGError?
        let seconds = measure {
            caught = #expect(throws: PGError.self) { try pool.withConnection { _ in } }
        }
        #expect(caught?.kind == .poolTimeout)
        #expect(caught?.isTransient == true)
        #expect(seconds >= 0.45 && seconds < 2.0, "waited \(seconds) s")
        #expect(pool.stats().waiting == 0)
        letGo.signal()
        letGo.signal()
        holders.forEach { $0.wait() }
        #expect(try pool.withConnection { try $0.query("SELECT \(1)").int(0, 0) } == 1)
    }

    @Test func waitersAreServedInArrivalOrder() throws {
        let pool = makePool(size: 1)
        let holding = DispatchSemaphore(value: 0)
        let letGo = DispatchSemaphore(value: 0)
        let holder = BackgroundThread {
            try? pool.withConnection { _ in
                holding.signal()
                letGo.wait()
            }
        }
        holding.wait()
        let order = Collected<Int>()
        var waiters: [BackgroundThread] = []
        for index in 0..<6 {
            waiters.append(BackgroundThread {
                try? pool.withConnection { _ in order.append(index) }
            })
            // Start the next waiter only once this one is queued, so the arrival order is known.
            let deadline = ContinuousClock.now + .seconds(5)
            while pool.stats().waiting < index + 1 && ContinuousClock.now < deadline {
                Thread.sleep(forTimeInterval: 0.002)
            }
        }
        #expect(pool.stats().waiting == 6)
        letGo.signal()
        holder.wait()
        waiters.forEach { $0.wait() }
        #expect(order.all == [0, 1, 2, 3, 4, 5])
    }

    @Test func manyThreadsShareASmallPool() throws {
        let pool = makePool(size: 4)
        let failures = Collected<String>()
        runOnThreads(32) { thread in
            for iteration in 0..<200 {
                do {
                    let sum = try pool.withConnection { connection in
                        try connection.query("SELECT \(thread)::int8 + \(iteration)::int8").int(0, 0)
                    }
                    if sum != thread + iteration { failures.append("wrong sum \(String(describing: sum))") }
                } catch {
                    failures.append(String(reflecting: error))
                }
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let stats = pool.stats()
        #expect(stats.open <= 4)
        #expect(stats.inUse == 0)
        #expect(stats.waitSeconds.count >= 32 * 200)
    }

    @Test func aReturnedConnectionWithAnOpenTransactionIsRolledBack() throws {
        let pool = makePool(size: 1)
        try pool.withConnection { _ = try $0.execute("CREATE TABLE leftovers (id int8)") }
        let firstPID = try pool.withConnection { connection in
            try connection.execute("BEGIN")
            _ = try connection.query("INSERT INTO leftovers VALUES (\(1))")
            return connection.backendPID
        }
        try pool.withConnection { connection throws in
            #expect(connection.backendPID == firstPID)
            #expect(connection.transactionState == .idle)
            #expect(try connection.query("SELECT count(*) FROM leftovers").int(0, 0) == 0)
        }
    }

    @Test func aKilledConnectionIsReplaced() throws {
        let pool = makePool(size: 1)
        let killer = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        let firstPID = try pool.withConnection { $0.backendPID }
        _ = try killer.query("SELECT pg_terminate_backend(\(firstPID))")
        // The idle pooled session is dead; using it fails once, as a connection failure.
        let error = #expect(throws: PGError.self) {
            try pool.withConnection { _ = try $0.query("SELECT \(1)") }
        }
        #expect(error?.kind == .connectionFailure)
        let secondPID = try pool.withConnection { connection throws in
            #expect(try connection.query("SELECT \(1)").int(0, 0) == 1)
            return connection.backendPID
        }
        #expect(secondPID != firstPID)
    }

    @Test func otherIdleConnectionsAreCheckedAfterAConnectionFailure() throws {
        // Two pooled sessions both die (as in a database restart). The first use discovers one; the
        // other is then checked with SELECT 1 before it is handed out, so the caller never sees it.
        let pool = makePool(size: 2)
        let holding = DispatchSemaphore(value: 0)
        let letGo = DispatchSemaphore(value: 0)
        let holder = BackgroundThread {
            try? pool.withConnection { _ in
                holding.signal()
                letGo.wait()
            }
        }
        holding.wait()
        try pool.withConnection { _ in () }  // opens the second session
        letGo.signal()
        holder.wait()
        #expect(pool.stats().idle == 2)
        let killer = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        _ = try killer.query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'pool-tests' AND datname = current_database()")
        #expect(throws: PGError.self) { try pool.withConnection { _ = try $0.query("SELECT \(1)") } }
        let value = try pool.withConnection { try $0.query("SELECT \(2)").int(0, 0) }
        #expect(value == 2)
    }

    @Test func withTransactionCommits() throws {
        let pool = makePool(size: 2)
        try pool.withTransaction { connection in
            try connection.execute("CREATE TABLE pooled (id int8)")
            _ = try connection.query("INSERT INTO pooled VALUES (\(5))")
        }
        #expect(try pool.withConnection { try $0.query("SELECT id FROM pooled").int(0, 0) } == 5)
    }

    @Test func pingAndShutdown() throws {
        let pool = makePool(size: 2)
        #expect(pool.ping(timeout: .seconds(1)))
        pool.shutdown()
        #expect(!pool.ping(timeout: .seconds(1)))
        let error = #expect(throws: PGError.self) { try pool.withConnection { _ in } }
        #expect(error?.kind == .unavailable)
        #expect(pool.stats().open == 0)
    }

    @Test func pingFailsWhenTheStatementOutlivesTheTimeout() throws {
        // A pool whose only connection is held: ping cannot acquire within its timeout.
        let pool = makePool(size: 1)
        let holding = DispatchSemaphore(value: 0)
        let letGo = DispatchSemaphore(value: 0)
        let holder = BackgroundThread {
            try? pool.withConnection { _ in
                holding.signal()
                letGo.wait()
            }
        }
        holding.wait()
        var answer = true
        let seconds = measure { answer = pool.ping(timeout: .milliseconds(300)) }
        #expect(!answer)
        #expect(seconds < 1.5)
        letGo.signal()
        holder.wait()
        #expect(pool.ping(timeout: .seconds(1)))
    }

    @Test func waitHistogramIsCumulative() throws {
        let pool = makePool(size: 1)
        for _ in 0..<5 { try pool.withConnection { _ in } }
        let histogram = pool.stats().waitSeconds
        #expect(histogram.count == 5)
        #expect(histogram.cumulativeCounts.count == PoolWaitHistogram.upperBounds.count)
        #expect(histogram.cumulativeCounts.last == 5)  // all within 10 s
        #expect(zip(histogram.cumulativeCounts, histogram.cumulativeCounts.dropFirst()).allSatisfy { $0 <= $1 })
    }
}
