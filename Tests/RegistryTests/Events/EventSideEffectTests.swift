import Foundation
import Testing
import TestSupport

/// What storing an event changes besides the chain (domain.md DOM-64, DOM-73; api-v2.md W19).
@Suite("Events: side effects")
struct EventSideEffectTests {
    func lastFixityCheck(_ world: EventWorld) throws -> String? {
        try world.registry.eventTestValue(
            "SELECT to_char(last_fixity_check AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US') FROM generic_files WHERE id = $1",
            [String(world.fileID)])
    }

    func updatedAt(_ world: EventWorld) throws -> String? {
        try world.registry.eventTestValue("SELECT updated_at::text FROM generic_files WHERE id = $1", [String(world.fileID)])
    }

    @Test("W19/DOM-73: a later Failed fixity check moves last_fixity_check; an older one never moves it back")
    func w19FixityMovesForwardOnly() throws {
        let world = try EventWorld()
        #expect(try lastFixityCheck(world) == "2000-01-01T00:00:00.000000")
        let ingest = try world.post(EventBodies.fileEvent("fixity check", dateTime: "2024-05-01T10:00:00.5Z"))
        #expect(ingest.status == 201)
        #expect(try lastFixityCheck(world) == "2024-05-01T10:00:00.500000")
        let updatedAfterIngest = try updatedAt(world)

        let failed = try world.post(EventBodies.fileEvent("fixity check", dateTime: "2024-08-01T09:30:00.123456789Z",
                                                          outcome: "Failed", outcomeDetail: "sha256:0000"))
        #expect(failed.status == 201)
        #expect(try lastFixityCheck(world) == "2024-08-01T09:30:00.123456")

        let updatedAfterFailure = try updatedAt(world)
        let older = try world.post(EventBodies.fileEvent("fixity check", dateTime: "2024-06-01T00:00:00Z"))
        #expect(older.status == 201)
        #expect(try lastFixityCheck(world) == "2024-08-01T09:30:00.123456")
        // A value that stays is not an update of the file (DOM-7).
        #expect(try updatedAt(world) == updatedAfterFailure)
        #expect(updatedAfterIngest != nil && updatedAfterIngest != updatedAfterFailure)

        // Other event types leave it alone, whatever their date.
        #expect(try world.post(EventBodies.fileEvent("ingestion", dateTime: "2025-01-01T00:00:00Z")).status == 201)
        #expect(try lastFixityCheck(world) == "2024-08-01T09:30:00.123456")
        // A replay changes nothing either (it stores nothing).
        let identifier = EventBodies.uuid()
        let late = EventBodies.fileEvent("fixity check", identifier: identifier, dateTime: "2024-09-01T00:00:00Z")
        #expect(try world.post(late).status == 201)
        #expect(try world.post(late).headers["Idempotent-Replayed"] == "true")
        #expect(try lastFixityCheck(world) == "2024-09-01T00:00:00.000000")
    }

    @Test("DOM-64: a successful replication event with a URL records one replica storage record")
    func replicationRecordsReplica() throws {
        let world = try EventWorld()
        let url = "https://s3.us-west-2.example/replica/\(UUID().uuidString)"
        let first = try world.post(EventBodies.fileEvent("replication", outcomeDetail: url))
        #expect(first.status == 201)
        let eventID = try #require(try first.jsonObject()["id"] as? Int)
        // The same URL again, a failed replication and a detail without `://` add nothing.
        #expect(try world.post(EventBodies.fileEvent("replication", outcomeDetail: url)).status == 201)
        #expect(try world.post(EventBodies.fileEvent("replication", outcome: "Failure", outcomeDetail: url + "x")).status == 201)
        #expect(try world.post(EventBodies.fileEvent("replication", outcomeDetail: "s3 bucket replica")).status == 201)
        let rows = try world.registry.sql().query(
            "SELECT url, kind, source_event_id::text FROM storage_records WHERE generic_file_id = $1 ORDER BY id",
            [String(world.fileID)])
        #expect(rows == [[url, "replica", String(eventID)]])

        // A URL too long for the storage records' index (incompressible, over ~2.7 kB) is a 422 on
        // the field and stores nothing, not a 500.
        let long = "https://example.org/" + (0..<120).map { _ in UUID().uuidString }.joined()
        let before = try world.registry.eventTestValue("SELECT count(*)::text FROM premis_events", [])
        let refused = try world.post(EventBodies.fileEvent("replication", outcomeDetail: long))
        #expect(refused.status == 422)
        #expect(try refused.fieldErrors("outcome_detail") == ["is too long"])
        #expect(try world.registry.eventTestValue("SELECT count(*)::text FROM premis_events", []) == before)
    }
}
