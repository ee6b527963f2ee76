import Foundation
import Testing
import TestSupport

/// Collects results from concurrent workers.
final class EventTestResults<Value>: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Value] = []

    func append(_ value: Value) {
        lock.lock()
        values.append(value)
        lock.unlock()
    }

    var all: [Value] {
        lock.lock()
        defer { lock.unlock() }
        return values
    }
}

/// The chain under concurrent writers (auditor.md AUD-45, AUD-46; api-v2.md API-65).
@Suite("Events: concurrency and the chain")
struct EventConcurrencyTests {
    @Test("API-65: 20 concurrent identical POSTs → one stored event, twenty 201s, sequence 1 only (AUD-46)")
    func identicalConcurrentCreates() throws {
        let world = try EventWorld()
        let body = try EventWorld.json(
            EventBodies.fileEvent("fixity check", identifier: EventBodies.uuid(), dateTime: "2024-05-02T00:00:00Z"))
        let results = EventTestResults<(status: Int, replayed: Bool, id: Int?)>()
        DispatchQueue.concurrentPerform(iterations: 20) { _ in
            do {
                let response = try world.post(bytes: body)
                results.append((response.status, response.headers["Idempotent-Replayed"] == "true",
                                try? response.jsonObject()["id"] as? Int))
            } catch {
                results.append((-1, false, nil))
            }
        }
        let all = results.all
        #expect(all.count == 20)
        #expect(all.allSatisfy { $0.status == 201 }, "\(all.map(\.status))")
        #expect(all.filter { !$0.replayed }.count == 1)
        #expect(Set(all.compactMap(\.id)).count == 1)
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "1")
        #expect(try world.registry.eventTestValue("SELECT max(sequence) FROM event_chain_heads") == "1")
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM audit_log WHERE action = 'event.create'") == "20")
    }

    @Test("OPS-65: the database connection of a POST event dies while its pipeline waits for the chain head → 503, nothing stored, no sequence gap")
    func connectionLostMidPipeline() throws {
        let world = try EventWorld()
        let body = try EventWorld.json(EventBodies.objectEvent("creation"))
        // Hold the chain head, so the POST's pipeline (audit row sent, lock statement waiting,
        // insert and COMMIT queued behind it) stops in the middle.
        let blocker = try world.registry.sql()
        try blocker.query("BEGIN")
        try blocker.query("SELECT sequence FROM event_chain_heads FOR UPDATE")
        let results = EventTestResults<Int>()
        let done = DispatchSemaphore(value: 0)
        DispatchQueue.global().async {
            results.append((try? world.post(bytes: body).status) ?? -1)
            done.signal()
        }
        // The suite's registries share one PostgreSQL cluster (a database each), and other tests
        // wait on chain heads too: only this test's database is looked at.
        let observer = try world.registry.sql()
        var waiting: String?
        for _ in 0..<100 where waiting == nil {
            waiting = try observer.query("""
                SELECT pid::text FROM pg_stat_activity
                WHERE wait_event_type = 'Lock' AND query LIKE '%event_chain_heads%' AND pid <> pg_backend_pid()
                  AND datname = current_database() LIMIT 1
                """).first?.first ?? nil
            if waiting == nil { usleep(50_000) }
        }
        let pid = try #require(waiting)
        _ = try observer.scalar("SELECT pg_terminate_backend($1::int)::text", [pid])
        #expect(done.wait(timeout: .now() + 20) == .success)
        try blocker.query("ROLLBACK")
        #expect(results.all == [503])
        // The transaction died with its connection: neither the audit row sent before the lock nor
        // the event was stored.
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "0")
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM audit_log WHERE action = 'event.create'") == "0")
        // The pool replaced the connection; the retry stores the event at sequence 1.
        let retried = try world.post(bytes: body)
        #expect(retried.status == 201)
        #expect(try retried.jsonObject()["sequence"] as? Int == 1)
    }

    @Test("API-65: one identifier raced under two institutions' chains → one 201 side, the other 422, never 500")
    func crossInstitutionRace() throws {
        let world = try EventWorld()
        try world.registry.makeInstitution("example.org")
        try world.registry.makeEventTestObject("example.org/bag")
        let identifier = EventBodies.uuid()
        let results = EventTestResults<(object: String, status: Int)>()
        DispatchQueue.concurrentPerform(iterations: 12) { index in
            let object = index % 2 == 0 ? EventWorld.object : "example.org/bag"
            let status = (try? world.post(EventBodies.objectEvent("creation", identifier: identifier, object: object)).status) ?? -1
            results.append((object, status))
        }
        let all = results.all
        #expect(all.allSatisfy { $0.status == 201 || $0.status == 422 }, "\(all)")
        let winners = Set(all.filter { $0.status == 201 }.map(\.object))
        #expect(winners.count == 1)
        #expect(all.filter { $0.status == 201 }.count == 6)
        #expect(try world.registry.eventTestValue("SELECT count(*) FROM premis_events") == "1")
        #expect(try world.registry.eventTestValue("SELECT sum(sequence) FROM event_chain_heads") == "1")
        #expect(!world.registry.log().contains("unexpected error"))
    }

    @Test("AUD-46: 20 concurrent clients × 50 events → sequences 1..1000 without gaps; head = last chain hash; every hash recomputed from JSON")
    func thousandConcurrentEvents() throws {
        let world = try EventWorld()
        let failures = EventTestResults<String>()
        DispatchQueue.concurrentPerform(iterations: 20) { worker in
            do {
                let client = try world.registry.client(receiveTimeout: 60)
                var firstBody: [String: Any] = [:]
                for index in 0..<50 {
                    let type = ["fixity check", "ingestion", "replication", "identifier assignment"][index % 4]
                    let body = index % 3 == 0
                        ? EventBodies.objectEvent(type, dateTime: "2024-05-01T00:00:\(String(format: "%02d", index)).\(worker)Z")
                        : EventBodies.fileEvent(type, dateTime: "2024-05-01T00:00:\(String(format: "%02d", index)).\(worker)Z")
                    if index == 0 { firstBody = body }
                    let response = try world.post(body, client: client)
                    if response.status != 201 { failures.append("\(response.status) \(response.text)") }
                    if index == 25 {
                        // A conflicting repeat rolls back and must not consume a sequence (AUD-46).
                        firstBody["detail"] = "changed"
                        let conflict = try world.post(firstBody, client: client)
                        if conflict.status != 422 { failures.append("conflict: \(conflict.status)") }
                    }
                }
            } catch {
                failures.append("\(error)")
            }
        }
        #expect(failures.all.isEmpty, "\(failures.all.prefix(3))")
        let stats = try world.registry.sql().query(
            "SELECT count(*), min(sequence), max(sequence), count(DISTINCT sequence) FROM premis_events")
        #expect(stats.first == ["1000", "1", "1000", "1000"])

        var events: [[String: Any]] = []
        for page in 1...2 {
            let response = try world.get("/api/v2/events/?institution=test.edu&sort=sequence&per_page=500&page=\(page)")
            #expect(response.status == 200)
            events += try response.eventResults()
        }
        #expect(events.count == 1000)
        #expect(events.map { $0["sequence"] as? Int ?? 0 } == Array(1...1000))
        let last = IndependentChain.verify(events)
        let head = try world.registry.sql().query(
            "SELECT sequence::text, encode(chain_hash, 'hex') FROM event_chain_heads h JOIN institutions i ON i.id = h.institution_id WHERE i.identifier = 'test.edu'")
        #expect(head.first == ["1000", last])
    }
}
