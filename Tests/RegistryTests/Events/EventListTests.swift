import Foundation
import Testing
import TestSupport

/// Event history queries (auditor.md AUD-1..3; api-v2.md API-40..49, API-4..6, W20).
@Suite("Events: list and show")
struct EventListTests {
    /// Six events of test.edu (sequences 1..6 in this order) and one of example.org.
    struct History {
        let world: EventWorld
        /// Identifiers by label, in posting order.
        var ids: [String: String] = [:]
        var createdAt: [String: String] = [:]
        var institutionID = ""

        init() throws {
            world = try EventWorld()
            try world.registry.makeEventTestFile("test.edu/bag/data/c.txt")
            try world.registry.makeEventTestObject("test.edu/bag2")
            try world.registry.makeInstitution("example.org")
            try world.registry.makeEventTestObject("example.org/bag")
            institutionID = try world.registry.eventTestValue("SELECT id::text FROM institutions WHERE identifier = 'test.edu'") ?? ""
            try post("creation", EventBodies.objectEvent("creation", dateTime: "2024-01-01T00:00:00Z"))
            try post("ingestion", EventBodies.objectEvent("ingestion", dateTime: "2024-01-02T00:00:00Z"))
            try post("failed", EventBodies.fileEvent("fixity check", dateTime: "2024-01-03T00:00:00Z", outcome: "Failed"))
            try post("failure", EventBodies.fileEvent("fixity check", dateTime: "2024-01-04T00:00:00Z", outcome: "Failure"))
            var agentX = EventBodies.fileEvent("fixity check", file: "test.edu/bag/data/c.txt", dateTime: "2024-01-05T00:00:00Z")
            agentX["agent"] = "agent-x"
            try post("c", agentX)
            try post("bag2", EventBodies.objectEvent("creation", object: "test.edu/bag2", dateTime: "2024-01-06T00:00:00Z"))
            try post("example", EventBodies.objectEvent("creation", object: "example.org/bag", dateTime: "2024-01-07T00:00:00Z"))
        }

        private mutating func post(_ label: String, _ body: [String: Any]) throws {
            let response = try world.post(body)
            #expect(response.status == 201, "\(label): \(response.text)")
            let event = try response.jsonObject()
            ids[label] = event["identifier"] as? String
            createdAt[label] = event["created_at"] as? String
        }

        /// The labels of a list's results, in order.
        func labels(_ query: String, path: String = "/api/v2/events/") throws -> [String] {
            let response = try world.get(path + query)
            #expect(response.status == 200, "\(path)\(query): \(response.text)")
            let byIdentifier = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            return try response.eventResults().map { byIdentifier[$0["identifier"] as? String ?? ""] ?? "?" }
        }

        func error(_ query: String, path: String = "/api/v2/events/") throws -> (Int, String?) {
            let response = try world.get(path + query)
            return (response.status, try response.jsonObject()["message"] as? String)
        }
    }

    static let allByDate = ["example", "bag2", "c", "failure", "failed", "ingestion", "creation"]

    @Test("AUD-1: every filter and alias; DOM-37 Failed = Failure; API-45a repeats; W20")
    func filters() throws {
        let history = try History()
        func labels(_ query: String) throws -> [String] { try history.labels(query) }
        #expect(try labels("") == Self.allByDate)
        // W20; AUD-2: an object's object-level and file-level events.
        let bag = ["c", "failure", "failed", "ingestion", "creation"]
        #expect(try labels("?object_identifier=test.edu%2Fbag&page=1&per_page=500") == bag)
        #expect(try labels("?intellectual_object_identifier=test.edu%2Fbag") == bag)
        #expect(try labels("?object_identifier=test.edu%2Fbag&object_level=true") == ["ingestion", "creation"])
        #expect(try labels("?object_identifier=test.edu%2Fbag&object_level=false") == bag)
        #expect(try labels("?file_identifier=test.edu%2Fbag%2Fdata%2Fa%20b.txt") == ["failure", "failed"])
        #expect(try labels("?generic_file_identifier=test.edu/bag/data/a+b.txt") == ["failure", "failed"])  // form-decoded
        #expect(try labels("?institution=test.edu") == Array(Self.allByDate.dropFirst()))
        #expect(try labels("?institution=\(history.institutionID)").count == 6)
        #expect(try labels("?institution_identifier=example.org") == ["example"])
        #expect(try labels("?institution=test.edu&institution_identifier=example.org").count == 7)
        #expect(try labels("?identifier=\(history.ids["failed"]!)") == ["failed"])
        #expect(try labels("?event_identifier=\(history.ids["failed"]!.uppercased())") == ["failed"])
        #expect(try labels("?event_type=fixity+check") == ["c", "failure", "failed"])
        #expect(try labels("?event_type=ingestion&event_type=fixity%20check") == ["c", "failure", "failed", "ingestion"])
        #expect(try labels("?outcome=Failed") == ["failure", "failed"])
        #expect(try labels("?outcome=Failure") == ["failure", "failed"])
        #expect(try labels("?outcome=Success&outcome=Failure").count == 7)
        #expect(try labels("?outcome=Success") == ["example", "bag2", "c", "ingestion", "creation"])
        #expect(try labels("?agent=agent-x") == ["c"])
        #expect(try labels("?agent=") == Self.allByDate)  // API-45: an empty value is ignored
        #expect(try labels("?date_time_after=2024-01-03&date_time_before=2024-01-05T00:00:00Z") == ["failure", "failed"])
        #expect(try labels("?date_time_before=2024-01-02T00:00:00.000001Z") == ["ingestion", "creation"])
        let created = history.createdAt["failed"]!
        #expect(try labels("?created_after=\(created)&institution=test.edu") == ["bag2", "c", "failure", "failed"])
        #expect(try labels("?created_before=\(created)") == ["ingestion", "creation"])
        #expect(try labels("?institution=test.edu&sequence_min=2&sequence_max=4") == ["failure", "failed", "ingestion"])
        #expect(try history.labels("?sequence_min=6", path: "/api/v2/events/test.edu") == ["bag2"])
        #expect(try labels("?institution=test.edu&institution=test.edu&sequence_max=1") == ["creation"])
        // Filters naming nothing (or nothing visible) give an empty list (API-49).
        #expect(try labels("?object_identifier=test.edu%2Fnope").isEmpty)
        #expect(try labels("?file_identifier=test.edu%2Fbag%2Fnope").isEmpty)
        #expect(try labels("?institution=nope.edu").isEmpty)
        #expect(try labels("?object_identifier=\(history.world.objectID)").isEmpty)
        let empty = try history.world.get("/api/v2/events/?institution=nope.edu")
        #expect(empty.text == #"{"count":0,"next":null,"previous":null,"results":[]}"#)
    }

    @Test("AUD-3 sorts (each ending with id); paging links (API-42/43); count=false (API-44)")
    func sortsAndPaging() throws {
        let history = try History()
        #expect(try history.labels("?sort=date") == Self.allByDate)
        #expect(try history.labels("?sort=date_asc") == Self.allByDate.reversed())
        #expect(try history.labels("?sort=created") == Self.allByDate)
        #expect(try history.labels("?sort=sequence") == ["example", "creation", "ingestion", "failed", "failure", "c", "bag2"])
        #expect(try history.labels("?sort=sequence&institution=test.edu") == ["creation", "ingestion", "failed", "failure", "c", "bag2"])
        let byName = history.ids.sorted { $0.value < $1.value }.map(\.key)
        #expect(try history.labels("?sort=name") == byName)

        let first = try history.world.get("/api/v2/events/?event_type=fixity+check&sort=date_asc&per_page=2")
        let envelope = try first.jsonObject()
        #expect(envelope["count"] as? Int == 3)
        let next = try #require(envelope["next"] as? String)
        #expect(next.hasPrefix("http://"))
        #expect(next.hasSuffix("/api/v2/events/?event_type=fixity+check&sort=date_asc&page=2&per_page=2"))
        #expect(envelope["previous"] is NSNull)
        let second = try history.world.get("/api/v2/events/?event_type=fixity+check&sort=date_asc&page=2&per_page=2")
        let secondEnvelope = try second.jsonObject()
        #expect(secondEnvelope["next"] is NSNull)
        #expect((secondEnvelope["previous"] as? String)?.hasSuffix("?event_type=fixity+check&sort=date_asc&page=1&per_page=2") == true)
        #expect(try second.eventResults().count == 1)
        let uncounted = try history.world.get("/api/v2/events/?count=false&per_page=1")
        #expect(try uncounted.jsonObject()["count"] is NSNull)
        #expect(try uncounted.eventResults().count == 1)
    }

    @Test("API-45/45a/48, AUD-1: bad values, unknown and repeated parameters, sequence without one institution → 400")
    func badQueries() throws {
        let history = try History()
        let cases: [(String, String)] = [
            ("?event_type=Fixity+Check", "invalid value for event_type: Fixity Check"),
            ("?outcome=ok", "invalid value for outcome: ok"),
            ("?object_level=yes", "invalid boolean for object_level: yes"),
            ("?date_time_after=yesterday", "invalid date for date_time_after: yesterday"),
            ("?institution=test.edu&sequence_min=x", "invalid integer for sequence_min: x"),
            ("?sort=bogus", "invalid sort: bogus"),
            ("?foo=1", "unknown query parameter: foo"),
            ("?institution_id=1", "unknown query parameter: institution_id"),
            ("?agent=a&agent=b", "parameter may not repeat: agent"),
            ("?object_identifier=a&intellectual_object_identifier=b", "parameter may not repeat: intellectual_object_identifier"),
            ("?sort=date&sort=name", "parameter may not repeat: sort"),
            ("?sequence_min=1", "sequence_min and sequence_max need exactly one institution"),
            ("?institution=test.edu&institution=example.org&sequence_max=3",
             "sequence_min and sequence_max need exactly one institution"),
            ("?per_page=0", "per_page must be between 1 and 1000"),
        ]
        for (query, message) in cases {
            let (status, text) = try history.error(query)
            #expect(status == 400, "\(query)")
            #expect(text == message, "\(query)")
        }
        // API-45a: more than one institution in the filter is a 400 under an institution path too.
        let (status, text) = try history.error("?institution=test.edu&institution=example.org&sequence_min=1",
                                               path: "/api/v2/events/test.edu")
        #expect(status == 400)
        #expect(text == "sequence_min and sequence_max need exactly one institution")
        // API-49: an event identifier that is not a UUID names no event: an empty list, not a 400.
        #expect(try history.labels("?identifier=nope").isEmpty)
        #expect(try history.labels("?event_identifier=6F1C2A9E-0B7D-4E55-9D3A-2F4B8C1D0E1").isEmpty)
    }

    @Test("Route #25/#26: path parents, API-4 `+` retry, API-6 unencoded fallback, 404 messages, show, member API, HEAD")
    func pathsAndShow() throws {
        let history = try History()
        func labels(_ path: String) throws -> [String] { try history.labels("", path: path) }
        #expect(try labels("/api/v2/events/test.edu") == Array(Self.allByDate.dropFirst()))
        let bag = ["c", "failure", "failed", "ingestion", "creation"]
        #expect(try labels("/api/v2/events/test.edu%2Fbag/") == bag)
        #expect(try labels("/api/v2/events/test.edu%2Fbag%2Fdata%2Fa%20b.txt") == ["failure", "failed"])
        #expect(try labels("/api/v2/events/test.edu%2Fbag%2Fdata%2Fa+b.txt") == ["failure", "failed"])  // API-4
        #expect(try labels("/api/v2/events/test.edu/bag/data/a%20b.txt") == ["failure", "failed"])  // API-6
        #expect(try labels("/api/v2/events/test.edu/bag/") == bag)
        #expect(try labels("/member-api/v2/events/test.edu%2Fbag2") == ["bag2"])
        #expect(try history.labels("?object_level=true", path: "/api/v2/events/test.edu%2Fbag") == ["ingestion", "creation"])

        let notFound: [(String, String)] = [
            ("/api/v2/events/test.edu%2Fnope", "object not found: test.edu/nope"),
            ("/api/v2/events/test.edu%2Fbag%2Fdata%2Fx+y.txt", "file not found: test.edu/bag/data/x+y.txt; check that the identifier was escaped"),
            ("/api/v2/events/test.edu/bag/nope", "file not found: test.edu/bag/nope; check that the identifier was escaped"),
            ("/api/v2/events/nope.edu", "institution not found: nope.edu"),
            ("/api/v2/events/12345", "event not found: 12345"),
            ("/api/v2/events/00000000-0000-4000-8000-000000000000", "event not found: 00000000-0000-4000-8000-000000000000"),
        ]
        for (path, message) in notFound {
            let response = try history.world.get(path)
            #expect(response.status == 404, "\(path)")
            #expect(try response.jsonObject()["message"] as? String == message)
        }

        let identifier = try #require(history.ids["failed"])
        let show = try history.world.get("/api/v2/events/\(identifier.uppercased())/")
        #expect(show.status == 200)
        let event = try show.jsonObject()
        #expect(event["identifier"] as? String == identifier)
        #expect(event["outcome"] as? String == "Failed")
        #expect(event["sequence"] as? Int == 3)
        #expect(event["generic_file_identifier"] as? String == EventWorld.file)
        #expect(try history.world.get("/member-api/v2/events/\(identifier)").text == show.text)
        let withQuery = try history.world.get("/api/v2/events/\(identifier)?page=1")
        #expect(withQuery.status == 400)
        #expect(try withQuery.jsonObject()["message"] as? String == "unknown query parameter: page")

        let head = try history.world.registry.client().request(method: "HEAD", path: "/api/v2/events/", headers: history.world.admin.headers)
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.headers["Content-Type"] == "application/json; charset=utf-8")
    }
}
