import Foundation
import Testing
import TestSupport

/// Who sees which events (domain.md §7.1, DOM-93..96a; auditor.md AUD-5; api-v2.md API-49).
@Suite("Events: visibility")
struct EventVisibilityTests {
    /// test.edu: `inst` (institution), `secret` (restricted, with a file), `open` (consortia);
    /// example.org: `private` (institution), `shared` (consortia, with a file). One object event
    /// each, plus one file event on each file.
    struct Tenants {
        let world: EventWorld
        let user: TestRegistry.Credentials
        let instAdmin: TestRegistry.Credentials
        let outsider: TestRegistry.Credentials
        var ids: [String: String] = [:]

        init() throws {
            world = try EventWorld()
            let registry = world.registry
            try registry.makeInstitution("example.org")
            user = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
            instAdmin = try registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
            outsider = try registry.makeUser("user@example.org", role: "institutional_user", institution: "example.org")
            for (object, access) in [("test.edu/inst", "institution"), ("test.edu/secret", "restricted"),
                                     ("test.edu/open", "consortia"), ("example.org/private", "institution"),
                                     ("example.org/shared", "consortia")] {
                try registry.makeEventTestObject(object, access: access)
                try post(object, EventBodies.objectEvent("creation", object: object))
            }
            for file in ["test.edu/secret/data/s.txt", "example.org/shared/data/x.txt"] {
                try registry.makeEventTestFile(file)
                try post(file, EventBodies.fileEvent("fixity check", file: file))
            }
        }

        private mutating func post(_ label: String, _ body: [String: Any]) throws {
            let response = try world.post(body)
            #expect(response.status == 201, "\(label): \(response.text)")
            ids[label] = try response.jsonObject()["identifier"] as? String
        }

        func labels(_ path: String, as caller: TestRegistry.Credentials) throws -> [String] {
            let response = try world.get(path, as: caller)
            #expect(response.status == 200, "\(path): \(response.text)")
            let byIdentifier = Dictionary(uniqueKeysWithValues: ids.map { ($0.value, $0.key) })
            return try response.eventResults().map { byIdentifier[$0["identifier"] as? String ?? ""] ?? "?" }.sorted()
        }
    }

    @Test("DOM-93: unparented lists are tenant-scoped; inst users never see restricted objects' events")
    func tenantScopedLists() throws {
        let tenants = try Tenants()
        #expect(try tenants.labels("/api/v2/events/", as: tenants.user) == ["test.edu/inst", "test.edu/open"])
        #expect(try tenants.labels("/api/v2/events/", as: tenants.instAdmin)
            == ["test.edu/inst", "test.edu/open", "test.edu/secret", "test.edu/secret/data/s.txt"])
        #expect(try tenants.labels("/api/v2/events/", as: tenants.outsider)
            == ["example.org/private", "example.org/shared", "example.org/shared/data/x.txt"])
        #expect(try tenants.labels("/api/v2/events/", as: tenants.world.admin).count == 7)
        // Another institution in a filter is answered like an unknown one: empty (DOM-96a).
        #expect(try tenants.labels("/api/v2/events/?institution=test.edu", as: tenants.outsider).isEmpty)
        #expect(try tenants.labels("/api/v2/events/?institution=test.edu&institution=example.org", as: tenants.outsider).count == 3)
        #expect(try tenants.labels("/api/v2/events/?event_type=fixity+check", as: tenants.user).isEmpty)
        // The unparented list stays scoped even when asking for a visible consortia event by identifier.
        let sharedEvent = try #require(tenants.ids["example.org/shared"])
        #expect(try tenants.labels("/api/v2/events/?identifier=\(sharedEvent)", as: tenants.user).isEmpty)
        // sequence filters work within the caller's own institution.
        #expect(try tenants.labels("/api/v2/events/?institution=test.edu&sequence_min=1", as: tenants.user)
            == ["test.edu/inst", "test.edu/open"])
    }

    @Test("DOM-94: another institution's consortia object is browsable by path and filter; others answer as unknown")
    func parentedLists() throws {
        let tenants = try Tenants()
        let outsider = tenants.outsider
        #expect(try tenants.labels("/api/v2/events/?object_identifier=test.edu%2Fopen", as: outsider) == ["test.edu/open"])
        #expect(try tenants.labels("/api/v2/events/test.edu%2Fopen", as: outsider) == ["test.edu/open"])
        #expect(try tenants.labels("/api/v2/events/?file_identifier=example.org%2Fshared%2Fdata%2Fx.txt", as: tenants.user)
            == ["example.org/shared/data/x.txt"])
        #expect(try tenants.labels("/member-api/v2/events/example.org/shared", as: tenants.user)
            == ["example.org/shared", "example.org/shared/data/x.txt"])
        #expect(try tenants.labels("/api/v2/events/?object_identifier=test.edu%2Finst", as: outsider).isEmpty)
        #expect(try tenants.labels("/api/v2/events/?object_identifier=test.edu%2Fsecret", as: tenants.user).isEmpty)
        #expect(try tenants.labels("/api/v2/events/?file_identifier=test.edu%2Fsecret%2Fdata%2Fs.txt", as: tenants.user).isEmpty)
        #expect(try tenants.labels("/api/v2/events/?object_identifier=test.edu%2Fsecret", as: tenants.instAdmin)
            == ["test.edu/secret", "test.edu/secret/data/s.txt"])

        // A path parent the caller may not see: the same 404 as an unknown one, naming the identifier.
        let cases: [(String, TestRegistry.Credentials, String)] = [
            ("/api/v2/events/test.edu%2Finst", outsider, "object not found: test.edu/inst"),
            ("/api/v2/events/test.edu%2Fsecret", tenants.user, "object not found: test.edu/secret"),
            ("/api/v2/events/test.edu%2Fsecret%2Fdata%2Fs.txt", tenants.user,
             "file not found: test.edu/secret/data/s.txt; check that the identifier was escaped"),
            ("/api/v2/events/test.edu", outsider, "institution not found: test.edu"),
            ("/api/v2/events/test.edu%2Fnothing", outsider, "object not found: test.edu/nothing"),
        ]
        for (path, caller, message) in cases {
            let response = try tenants.world.get(path, as: caller)
            #expect(response.status == 404, "\(path)")
            #expect(response.text == #"{"status":"error","message":"\#(message)"}"#)
        }
    }

    @Test("AUD-5: an event is shown to whoever may show its object; otherwise exactly like an unknown event")
    func show() throws {
        let tenants = try Tenants()
        func status(_ label: String, _ caller: TestRegistry.Credentials) throws -> Int {
            try tenants.world.get("/api/v2/events/\(tenants.ids[label]!)", as: caller).status
        }
        #expect(try status("test.edu/open", tenants.outsider) == 200)
        #expect(try status("example.org/shared/data/x.txt", tenants.user) == 200)
        #expect(try status("test.edu/inst", tenants.user) == 200)
        #expect(try status("test.edu/secret", tenants.instAdmin) == 200)
        #expect(try status("test.edu/secret/data/s.txt", tenants.world.admin) == 200)

        let hidden = try #require(tenants.ids["test.edu/secret"])
        let unknown = EventBodies.uuid()
        let hiddenResponse = try tenants.world.get("/api/v2/events/\(hidden)", as: tenants.user)
        let unknownResponse = try tenants.world.get("/api/v2/events/\(unknown)", as: tenants.user)
        #expect(hiddenResponse.status == 404)
        #expect(hiddenResponse.text == #"{"status":"error","message":"event not found: \#(hidden)"}"#)
        #expect(unknownResponse.text == #"{"status":"error","message":"event not found: \#(unknown)"}"#)
        #expect(try status("test.edu/inst", tenants.outsider) == 404)
        #expect(try status("example.org/private", tenants.instAdmin) == 404)
    }
}
