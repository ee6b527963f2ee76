import Foundation
import Testing
import TestSupport

/// A file write PostgreSQL rolls back to break a lock cycle (SQLSTATE 40P01) runs once more
/// (`UniqueRace.retryingOnce`), so the client gets its answer instead of a 500. The registry's own
/// writers take their locks in one order and never deadlock each other (`FileWriteLocks`); another
/// session of the database (an operator's, a migration's) may.
@Suite("Files: a deadlock's victim runs again")
struct DeadlockRetryTests {
    @Test("PUT /files chosen as the victim of a deadlock: retried once, 200, the change stored once")
    func putFileRetriedAfterDeadlock() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 1)
        let blocker = try world.registry.sql()
        // The server's session must be the one that finds the cycle (its deadlock check runs after
        // 1 s of waiting), so this session waits much longer before checking.
        try blocker.query("SET deadlock_timeout = '60s'")
        try blocker.query("BEGIN")
        try blocker.query("SELECT 1 FROM generic_files WHERE identifier = 'test.edu/bag/data/file001.txt' FOR NO KEY UPDATE")

        // PostgreSQL looks for a deadlock once, deadlock_timeout (1 s) after a session starts to
        // wait: the cycle must be closed within that second, so the watching session is opened
        // before the update is sent.
        let watcher = try world.registry.sql()
        // The update locks the object, then waits for the file this session holds.
        let body = #"{"generic_file":{"size":777}}"#
        let client = try world.registry.client(receiveTimeout: 30)
        try client.send("PUT /api/v2/files/test.edu%2Fbag%2Fdata%2Ffile001.txt HTTP/1.1\r\nHost: t\r\n"
                        + world.admin.headers.map { "\($0.name): \($0.value)\r\n" }.joined()
                        + "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        #expect(try waitForLockWait(watcher), "the update never waited for the file row")
        // Closing the cycle. The object's lock can only be granted once the server's transaction
        // is rolled back (it cannot commit while it waits for the file): that is the deadlock.
        let closed = Date()
        try blocker.query("SELECT 1 FROM intellectual_objects WHERE identifier = 'test.edu/bag' FOR NO KEY UPDATE")
        #expect(Date().timeIntervalSince(closed) < 30)
        try blocker.query("COMMIT")

        let response = try client.readResponse()
        #expect(response.status == 200, "\(response.text.prefix(300))")
        #expect(try world.count("SELECT count(*) FROM generic_files WHERE size = 777") == 1)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'file.update'") == 1)
        #expect(try world.count("SELECT file_size FROM intellectual_objects WHERE identifier = 'test.edu/bag'") == 777)
    }

    /// Polls until another session of this database waits for a row lock; false after 10 s.
    private func waitForLockWait(_ sql: TestSQLConnection) throws -> Bool {
        let deadline = Date().addingTimeInterval(10)
        while Date() < deadline {
            let waiting = try sql.scalar("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'
                """)
            if waiting != "0" { return true }
            usleep(20_000)
        }
        return false
    }
}
