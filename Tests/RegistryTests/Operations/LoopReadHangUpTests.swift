import Foundation
import Testing
import TestSupport

/// A client that hangs up while its loop read waits for PostgreSQL: the late result must find the
/// connection closed (`completeResponse` guards it) and leave the loop and its session working.
@Suite("hot reads on the event loop: the client hangs up while the read waits")
struct LoopReadHangUpTests {
    private static let path = "/api/v2/items/?status=Pending"

    @Test("GET /items waiting on a lock, client gone, lock released: the server goes on answering on the loop")
    func clientHangsUpDuringLoopRead() throws {
        let world = try ObjectWorld()
        try world.registry.makeWorkItem(TestRegistry.TestWorkItem(name: "bag.tar", status: "Pending"))
        try ObjectShowOnLoopTests.warmUp(world, Self.path)
        // Each connection goes to the next loop, and a loop opens its session off the loop: wait (with
        // a deadline) until two requests in a row, one per loop, are answered on the loops.
        var inARow = 0
        let ready = Date().addingTimeInterval(10)
        while inARow < 2 && Date() < ready {
            let counted = try ObjectShowOnLoopTests.loopReads(world).answered
            #expect(try world.get(Self.path).status == 200)
            inARow = try ObjectShowOnLoopTests.loopReads(world).answered == counted + 1 ? inARow + 1 : 0
        }
        try #require(inARow == 2, "the loops' sessions never both answered")
        let before = try ObjectShowOnLoopTests.loopReads(world)

        let blocker = try world.registry.sql()
        _ = try blocker.query("BEGIN")
        _ = try blocker.query("LOCK TABLE work_items IN ACCESS EXCLUSIVE MODE")
        let client = try world.client()
        try client.send("GET \(Self.path) HTTP/1.1\r\nHost: t\r\nX-Pharos-API-User: \(world.admin.email)\r\n"
                        + "X-Pharos-API-Key: \(world.admin.key)\r\n\r\n")
        // The read must really be waiting for the lock (well inside the loop session's 2 s statement timeout).
        let observer = try world.registry.sql()
        var waiting = false
        for _ in 0..<150 where !waiting {  // up to 1.5 s, inside the 2 s timeout
            waiting = try observer.scalar("""
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%work_items%'
                """) == "1"
            if !waiting { usleep(10_000) }
        }
        #expect(waiting, "the loop read never waited for the lock")
        client.close()
        usleep(200_000)
        _ = try blocker.query("COMMIT")

        // Its answer was produced on the loop (not handed to a worker) and dropped with the connection.
        var afterHangUp = try ObjectShowOnLoopTests.loopReads(world)
        let answered = Date().addingTimeInterval(5)
        while afterHangUp.answered == before.answered && Date() < answered {
            usleep(20_000)
            afterHangUp = try ObjectShowOnLoopTests.loopReads(world)
        }
        #expect(world.registry.isRunning)
        #expect(afterHangUp.handedBack == before.handedBack)
        #expect(afterHangUp.answered == before.answered + 1)
        // The loops and their sessions still answer, on both loops.
        for _ in 0..<4 {
            let response = try world.get(Self.path)
            #expect(response.status == 200)
            #expect(try response.jsonObject()["count"] as? Int == 1)
        }
        let after = try ObjectShowOnLoopTests.loopReads(world)
        #expect(after.answered == afterHangUp.answered + 4)
        #expect(after.handedBack == afterHangUp.handedBack)
        let log = world.registry.log()
        #expect(!log.contains("Fatal error") && !log.contains("unexpected error"))
    }
}
