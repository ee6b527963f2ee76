import Formats
import Foundation
import Postgres
import RegistryCore
import Testing
import TestSupport

/// `EventStore.append` called directly (auditor.md AUD-45, AUD-46; domain.md DOM-15).
@Suite("Chain: EventStore.append")
struct EventStoreChainTests {
    struct Setup {
        let registry: TestRegistry
        let connection: PGConnection
        let testEdu: (id: Int64, object: Int64)
        let exampleOrg: (id: Int64, object: Int64)

        init() throws {
            registry = try TestRegistry.start()
            let first = try registry.makeInstitution("test.edu")
            let second = try registry.makeInstitution("example.org")
            testEdu = (first, try registry.makeEventTestObject("test.edu/bag"))
            exampleOrg = (second, try registry.makeEventTestObject("example.org/bag"))
            connection = try PGConnection.connect(PGConnectionSettings(connectionString: registry.conninfo))
        }

        func event(_ identifier: String, object: Int64, objectIdentifier: String) throws -> NewEvent {
            let content = EventContent(identifier: identifier, eventType: "creation",
                                       dateTime: try #require(Timestamp(rfc3339: "2024-05-01T00:00:00Z")), detail: "d",
                                       outcome: "Success", outcomeDetail: "od", outcomeInformation: nil, object: "o", agent: "a")
            return NewEvent(content: content, objectID: object, objectIdentifier: objectIdentifier, fileID: nil,
                            fileIdentifier: nil)
        }
    }

    @Test("AUD-45: appending to a second institution's chain in one transaction fails before locking its head")
    func oneInstitutionPerTransaction() throws {
        let setup = try Setup()
        let error = #expect(throws: PGError.self) {
            try setup.connection.transaction { connection in
                let first = try setup.event(UUID().uuidString, object: setup.testEdu.object, objectIdentifier: "test.edu/bag")
                let second = try setup.event(UUID().uuidString, object: setup.testEdu.object, objectIdentifier: "test.edu/bag")
                _ = try EventStore.append([first], institutionID: setup.testEdu.id, institutionIdentifier: "test.edu", on: connection)
                // The same chain again in the same transaction is fine and continues the sequence.
                let again = try EventStore.append([second], institutionID: setup.testEdu.id, institutionIdentifier: "test.edu",
                                                  on: connection)
                #expect(again.count == 1)
                let other = try setup.event(UUID().uuidString, object: setup.exampleOrg.object, objectIdentifier: "example.org/bag")
                _ = try EventStore.append([other], institutionID: setup.exampleOrg.id, institutionIdentifier: "example.org",
                                          on: connection)
            }
        }
        #expect(error?.message.contains("AUD-45") == true)
        #expect(try setup.registry.eventTestValue("SELECT count(*) FROM premis_events") == "0")
        #expect(try setup.registry.eventTestValue("SELECT sum(sequence) FROM event_chain_heads") == "0")
    }

    @Test("AUD-45/46: consecutive sequences in request order; DOM-15: upper-case identifiers hashed and stored lower case")
    func sequencesAndCase() throws {
        let setup = try Setup()
        let identifiers = [UUID().uuidString, UUID().uuidString, UUID().uuidString]  // upper case
        let outcomes = try setup.connection.transaction { connection in
            try EventStore.append(identifiers.map { try setup.event($0, object: setup.testEdu.object, objectIdentifier: "test.edu/bag") },
                                  institutionID: setup.testEdu.id, institutionIdentifier: "test.edu", on: connection)
        }
        #expect(outcomes.allSatisfy { if case .created = $0 { true } else { false } })
        let rows = try setup.registry.sql().query("SELECT identifier::text, sequence::text FROM premis_events ORDER BY sequence")
        #expect(rows == identifiers.enumerated().map { [$0.element.lowercased(), String($0.offset + 1)] })
        // The stored hashes are those of the stored (lower-case) text.
        let format = "'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'"
        let stored = try setup.registry.sql().query("""
            SELECT e.agent, to_char(e.created_at AT TIME ZONE 'UTC', \(format)), to_char(e.date_time AT TIME ZONE 'UTC', \(format)),
                   e.detail, e.event_type, e.identifier::text, i.identifier, e.intellectual_object_identifier, e.object,
                   e.outcome, e.outcome_detail, e.sequence::text, encode(e.entry_hash, 'hex'), encode(e.chain_hash, 'hex')
            FROM premis_events e JOIN institutions i ON i.id = e.institution_id ORDER BY e.sequence
            """)
        let events: [[String: Any]] = stored.map { row in
            ["agent": row[0]!, "created_at": row[1]!, "date_time": row[2]!, "detail": row[3]!, "event_type": row[4]!,
             "identifier": row[5]!, "institution": row[6]!, "intellectual_object_identifier": row[7]!, "object": row[8]!,
             "outcome": row[9]!, "outcome_detail": row[10]!, "sequence": Int(row[11]!)!, "entry_hash": row[12]!,
             "chain_hash": row[13]!]
        }
        IndependentChain.verify(events)
        // Replayed with the upper-case form: recognized, nothing new.
        let replay = try setup.connection.transaction { connection in
            try EventStore.append([try setup.event(identifiers[1], object: setup.testEdu.object, objectIdentifier: "test.edu/bag")],
                                  institutionID: setup.testEdu.id, institutionIdentifier: "test.edu", on: connection)
        }
        #expect(replay.count == 1)
        if case .replayed = replay[0] {} else { Issue.record("expected a replay, got \(replay)") }
        #expect(try setup.registry.eventTestValue("SELECT count(*) FROM premis_events") == "3")
    }
}
