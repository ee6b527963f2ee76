import Postgres
import Testing
import TestSupport

/// ConnectionLease: one pooled connection for a whole request, otherwise the pool's own rules.
@Suite struct ConnectionLeaseTests {
    let pool: PostgresPool

    init() throws {
        let conninfo = try TestPostgres.freshDatabase()
        pool = PostgresPool(PostgresPoolConfiguration(
            connection: PGConnectionSettings(connectionString: conninfo, applicationName: "lease-tests"),
            maximumConnections: 3, acquireTimeout: .seconds(5)))
    }

    private func backendPID(_ connection: PGConnection) throws -> Int? {
        try connection.query("SELECT pg_backend_pid()").int(0, 0)
    }

    @Test("uses one after another share one connection, leased at the first use and given back by end()")
    func sequentialUsesShareOneConnection() throws {
        let lease = pool.lease()
        #expect(pool.stats().inUse == 0, "nothing is leased before the first use")
        let first = try lease.withConnection(backendPID)
        #expect(pool.stats().inUse == 1, "kept between uses")
        let second = try lease.withConnection(backendPID)
        #expect(first != nil && first == second)
        lease.end()
        #expect(pool.stats().inUse == 0)
        #expect(pool.stats().idle == 1)
    }

    @Test("a nested use gets a second connection, as it would without the lease")
    func nestedUseGetsAnotherConnection() throws {
        let lease = pool.lease()
        let (outer, inner) = try lease.withConnection { connection in
            (try backendPID(connection), try lease.withConnection(backendPID))
        }
        #expect(outer != nil && inner != nil && outer != inner)
        #expect(pool.stats().inUse == 1, "the nested connection went straight back")
        lease.end()
    }

    @Test("a connection left inside a transaction goes back to the pool, rolled back; the next use takes a fresh lease")
    func openTransactionIsGivenBack() throws {
        _ = try pool.withConnection { try $0.execute("CREATE TABLE lease_rows (n int)") }
        let lease = pool.lease()
        try lease.withConnection { connection in
            try connection.execute("BEGIN")
            try connection.execute("INSERT INTO lease_rows VALUES (1)")
        }
        #expect(pool.stats().inUse == 0, "returned at once")
        let count = try lease.withConnection { try $0.query("SELECT count(*)::int FROM lease_rows").int(0, 0) }
        #expect(count == 0, "the open transaction was rolled back, not committed")
        #expect(try lease.withConnection { $0.transactionState } == .idle)
        lease.end()
        #expect(pool.stats().inUse == 0)
    }

    @Test("after end() every use goes to the pool and nothing stays leased")
    func usesAfterEndDoNotPin() throws {
        let lease = pool.lease()
        _ = try lease.withConnection(backendPID)
        lease.end()
        _ = try lease.withConnection(backendPID)
        #expect(pool.stats().inUse == 0)
        lease.end()
        #expect(pool.stats().inUse == 0)
    }

    @Test("an error thrown by the body leaves the connection leased and usable")
    func errorsKeepTheLease() throws {
        struct Oops: Error {}
        let lease = pool.lease()
        let before = try lease.withConnection(backendPID)
        #expect(throws: Oops.self) { try lease.withConnection { _ in throw Oops() } }
        #expect(throws: PGError.self) { try lease.withConnection { try $0.execute("SELECT * FROM no_such_table") } }
        #expect(try lease.withConnection(backendPID) == before)
        lease.end()
    }
}
