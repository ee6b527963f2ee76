import Foundation
import Postgres
import TestSupport
import Testing
import TestSupport

/// SQLSTATE → PGError.Kind, and what the error reveals where.
@Suite struct ErrorMappingTests {
    let conninfo: String
    let connection: PGConnection

    init() throws {
        conninfo = try TestPostgres.freshDatabase()
        connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        try connection.execute("""
            CREATE TABLE parents (id int8 PRIMARY KEY, code text UNIQUE CONSTRAINT parents_code_check CHECK (code <> 'bad'));
            CREATE TABLE children (id int8 PRIMARY KEY, parent_id int8 NOT NULL REFERENCES parents(id));
            INSERT INTO parents VALUES (1, 'secret-value');
            """)
    }

    private func failure(_ query: PGQuery) -> PGError? {
        #expect(throws: PGError.self) { try connection.query(query) }
    }

    @Test func uniqueViolation() throws {
        let error = try #require(failure("INSERT INTO parents VALUES (\(2), \("secret-value"))"))
        #expect(error.kind == .uniqueViolation)
        #expect(error.sqlState == "23505")
        #expect(error.constraint == "parents_code_key")
        // The generic description never carries server text or values (it may reach a response).
        #expect(error.description == "database error (SQLSTATE 23505)")
        #expect(!error.description.contains("secret"))
        // Nor does the log text: the DETAIL quoting the row stays in its field only (OPS-42).
        #expect(error.detail?.contains("secret-value") == true)
        #expect(!error.debugDescription.contains("secret-value"))
        #expect(error.debugDescription.contains("parents_code_key"))
        #expect(!error.isTransient)
    }

    @Test func foreignKeyViolation() throws {
        let error = try #require(failure("INSERT INTO children VALUES (\(1), \(99))"))
        #expect(error.kind == .foreignKeyViolation)
        #expect(error.sqlState == "23503")
        #expect(error.constraint == "children_parent_id_fkey")
    }

    @Test func checkViolation() throws {
        let error = try #require(failure("INSERT INTO parents VALUES (\(3), \("bad"))"))
        #expect(error.kind == .checkViolation)
        #expect(error.constraint == "parents_code_check")
    }

    @Test func notNullViolation() throws {
        let parent: Int64? = nil
        let error = try #require(failure("INSERT INTO children VALUES (\(1), \(parent))"))
        #expect(error.kind == .notNullViolation)
        #expect(error.sqlState == "23502")
    }

    @Test func syntaxErrorsAreOther() throws {
        let error = try #require(failure("SELEC 1"))
        #expect(error.kind == .other)
        #expect(error.sqlState == "42601")
        #expect(connection.isUsable)
    }

    @Test func serializationFailureBetweenTwoSerializableTransactions() throws {
        // Write skew: each transaction reads the sum, then inserts; run on two threads and ordered
        // with semaphores so both read before either writes.
        try connection.execute("CREATE TABLE ledger (amount int8 NOT NULL); INSERT INTO ledger VALUES (10)")
        let firstRead = DispatchSemaphore(value: 0)
        let secondRead = DispatchSemaphore(value: 0)
        let firstDone = DispatchSemaphore(value: 0)
        let outcomes = Collected<String>()
        let conninfo = self.conninfo
        let first = BackgroundThread {
            do {
                let connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
                try connection.transaction(.serializable) { connection in
                    _ = try connection.query("SELECT sum(amount) FROM ledger")
                    firstRead.signal()
                    secondRead.wait()
                    _ = try connection.query("INSERT INTO ledger VALUES (\(1))")
                }
                outcomes.append("committed")
            } catch let error as PGError {
                outcomes.append(error.kind == .serializationFailure ? "40001" : "\(error.debugDescription)")
            } catch {
                outcomes.append("\(error)")
            }
            firstDone.signal()
        }
        let second = BackgroundThread {
            do {
                let connection = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
                try connection.transaction(.serializable) { connection in
                    _ = try connection.query("SELECT sum(amount) FROM ledger")
                    secondRead.signal()
                    firstRead.wait()
                    firstDone.wait()
                    _ = try connection.query("INSERT INTO ledger VALUES (\(2))")
                }
                outcomes.append("committed")
            } catch let error as PGError {
                outcomes.append(error.kind == .serializationFailure ? "40001" : "\(error.debugDescription)")
            } catch {
                outcomes.append("\(error)")
            }
        }
        first.wait()
        second.wait()
        #expect(outcomes.all.sorted() == ["40001", "committed"])
    }

    @Test func statementTimeout() throws {
        // OPS-57: a 1 s statement timeout cuts off pg_sleep(5).
        let limited = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo, statementTimeoutMs: 1000))
        var caught: PGError?
        let seconds = measure {
            caught = #expect(throws: PGError.self) { try limited.query("SELECT pg_sleep(\(5))") }
        }
        #expect(caught?.kind == .statementTimeout)
        #expect(caught?.sqlState == "57014")
        #expect(caught?.isTransient == true)
        #expect(seconds >= 0.9 && seconds < 3.5)
        #expect(try limited.query("SELECT \(1)").int(0, 0) == 1)
    }

    @Test func sqlStateMapping() {
        let table: [(String?, PGError.Kind)] = [
            ("57014", .statementTimeout), ("23505", .uniqueViolation), ("23503", .foreignKeyViolation),
            ("23514", .checkViolation), ("23502", .notNullViolation), ("40001", .serializationFailure),
            ("40P01", .deadlock), ("57P01", .connectionFailure), ("57P02", .connectionFailure),
            ("57P03", .connectionFailure), ("08006", .connectionFailure), ("08001", .connectionFailure),
            ("42P01", .other), (nil, .other),
        ]
        for (state, kind) in table {
            #expect(PGError.kind(forSQLState: state) == kind, "\(state ?? "nil")")
        }
        #expect(PGError(kind: .unavailable, message: "x").isTransient)
        #expect(PGError(kind: .poolTimeout, message: "x").isTransient)
        #expect(PGError(kind: .connectionFailure, message: "x").isTransient)
        #expect(!PGError(kind: .deadlock, message: "x").isTransient)
        #expect(PGError(kind: .unavailable, message: "secret host").description == "database unavailable")
    }

    @Test func connectFailureIsAConnectionFailure() {
        let error = #expect(throws: PGError.self) {
            try PGConnection.connect(PGConnectionSettings(connectionString: "host=/nonexistent-socket-dir user=x dbname=y"))
        }
        #expect(error?.kind == .connectionFailure)
        #expect(error?.isTransient == true)
    }

    @Test func urlConnectionStringsWork() throws {
        // The dbname slot is expanded, so postgres:// URLs work as well as key=value strings.
        let parts = Dictionary(uniqueKeysWithValues: conninfo.split(separator: " ").map { part in
            let pair = part.split(separator: "=", maxSplits: 1)
            return (String(pair[0]), String(pair[1]))
        })
        let host = parts["host"]!.replacingOccurrences(of: "/", with: "%2F")
        let url = "postgres://\(parts["user"]!)@\(host):\(parts["port"] ?? "5432")/\(parts["dbname"]!)"
        let viaURL = try PGConnection.connect(PGConnectionSettings(connectionString: url, applicationName: "via-url"))
        #expect(try viaURL.query("SELECT current_setting('application_name'), current_setting('TimeZone')").string(0, 0) == "via-url")
        #expect(try viaURL.query("SELECT current_setting('TimeZone')").string(0, 0) == "UTC")
    }
}
