#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Postgres
import Testing
import TestSupport

/// `PGPipelineConnection`, driven here by `poll` the way an event loop drives it: segments complete
/// in order, a failure stays in its own segment, evicted statements are freed on the server, and a
/// broken session fails what waits on it.
@Suite struct PGPipelineConnectionTests {
    let conninfo: String
    let session: PGPipelineConnection

    init() throws {
        conninfo = try TestPostgres.freshDatabase()
        session = try PGPipelineConnection.open(PGConnectionSettings(connectionString: conninfo))
    }

    /// Polls the socket and hands readiness to the session until `done` or 10 s.
    private func drive(until done: () -> Bool) {
        let deadline = Date().addingTimeInterval(10)
        while !done(), Date() < deadline {
            var descriptor = pollfd(fd: session.socket, events: Int16(POLLIN | (session.wantsWrite ? POLLOUT : 0)), revents: 0)
            guard poll(&descriptor, 1, 100) > 0 else { continue }
            if descriptor.revents & Int16(POLLOUT) != 0 { session.handleWritable() }
            if descriptor.revents & Int16(POLLIN | POLLHUP | POLLERR) != 0 { session.handleReadable() }
        }
    }

    /// Sends each query as its own segment and returns the first cell of each result (nil: failed).
    private func run(_ segments: [[PGQuery]]) -> [[String?]?] {
        var answers = [[String?]?](repeating: nil, count: segments.count)
        var finished = 0
        for (index, queries) in segments.enumerated() {
            session.send(queries) { results in
                answers[index] = results.map { $0.map { $0.rowCount > 0 ? $0.string(0, 0) : nil } }
                finished += 1
            }
        }
        drive { finished == segments.count }
        #expect(finished == segments.count)
        return answers
    }

    @Test func segmentsCompleteInOrderAndAFailureStaysInItsOwnSegment() throws {
        let answers = run([
            ["SELECT 1", "SELECT \(41)::int + 1"],
            ["SELECT 1 / \(0)::int", "SELECT 2"],  // division by zero aborts only this segment
            ["SELECT \("after")::text"],
        ])
        #expect(answers[0]! == ["1", "42"])
        #expect(answers[1] == nil)
        #expect(answers[2]! == ["after"])
        #expect(session.pendingCount == 0)
        #expect(!session.isBroken)
    }

    @Test func aNULParameterIsRefusedBeforeAnythingIsSent() throws {
        var refused = false
        session.send(["SELECT 1", "SELECT \("a\u{0}b")::text"]) { results in refused = results == nil }
        #expect(refused)
        #expect(run([["SELECT \("next")::text"]])[0]! == ["next"])
    }

    @Test func evictedStatementsAreDeallocatedOnTheServer() throws {
        // 300 distinct statement texts through a cache of 256: the session must not keep them all.
        var segments: [[PGQuery]] = []
        var query: PGQuery = "SELECT 1"
        for _ in 0..<300 {
            query.appendUnescaped(" + 1")
            segments.append([query])
        }
        let answers = run(segments)
        #expect(answers.last!! == ["301"])
        let prepared = run([["SELECT count(*) FROM pg_prepared_statements"]])[0]!
        #expect(Int(prepared[0] ?? "") ?? 999 <= 257)
    }

    @Test func aTerminatedSessionFailsWhatWaitsAndWhatComes() throws {
        let pid = run([["SELECT pg_backend_pid()"]])[0]![0]!
        let killer = try PGConnection.connect(PGConnectionSettings(connectionString: conninfo))
        _ = try killer.query("SELECT pg_terminate_backend(\(Int(pid)!))")
        var outcome: [PGResult]?? = .none
        session.send(["SELECT 1"]) { outcome = .some($0) }
        drive { outcome != nil || session.isBroken }
        drive { outcome != nil }
        #expect(outcome! == nil)
        #expect(session.isBroken)
        var later: [PGResult]?? = .none
        session.send(["SELECT 1"]) { later = .some($0) }
        #expect(later! == nil)
    }
}
