import Foundation
import Testing
import TestSupport

/// Who exports which events (auditor.md AUD-10; domain.md DOM-93, DOM-94, DOM-96a).
@Suite("Exports: visibility")
struct EventExportVisibilityTests {
    @Test("DOM-93: an export without a parent filter is tenant-scoped; inst users never get restricted objects' events")
    func tenantScoped() throws {
        let world = try ExportWorld()
        let path = "/api/v2/events/export?format=ndjson"
        #expect(try world.labels(ndjson: world.get(path).body).count == 8, "admin: everything")
        #expect(try world.labels(ndjson: world.get(path, as: world.instAdmin).body)
            == ["created", "fixity", "control", "secret", "open"])
        #expect(try world.labels(ndjson: world.get(path, as: world.user).body) == ["created", "fixity", "control", "open"])
        #expect(try world.labels(ndjson: world.get(path, as: world.outsider).body) == ["shared", "shared-file", "private"])
        // The CSV of an inst user agrees with the NDJSON (same query, other writer).
        let csv = try world.get("/api/v2/events/export?format=csv", as: world.user)
        let expected = try ReferenceCSV.rows(world.registry, where: """
            i.identifier = 'test.edu' AND e.intellectual_object_id IN
              (SELECT id FROM intellectual_objects WHERE access <> 'restricted')
            """)
        #expect(csv.text == ReferenceCSV.header + expected)
    }

    @Test("DOM-94: a filter naming another institution's consortia object or file exports its events")
    func consortiaParents() throws {
        let world = try ExportWorld()
        let byObject = try world.get("/api/v2/events/export?format=ndjson&object_identifier=example.org%2Fshared",
                                     as: world.user)
        #expect(try world.labels(ndjson: byObject.body) == ["shared", "shared-file"])
        let byFile = try world.get("/api/v2/events/export?format=ndjson&file_identifier=example.org%2Fshared%2Fdata%2Fx.txt",
                                   as: world.user)
        #expect(try world.labels(ndjson: byFile.body) == ["shared-file"])
    }

    @Test("DOM-96a: a filter naming something invisible or unknown exports no rows: empty NDJSON, CSV header only")
    func invisibleFiltersExportNothing() throws {
        let world = try ExportWorld()
        let invisible: [(query: String, caller: TestRegistry.Credentials)] = [
            ("object_identifier=example.org%2Fprivate", world.user),
            ("object_identifier=test.edu%2Fsecret", world.user),
            ("object_identifier=test.edu%2Fno-such-bag", world.admin),
            ("file_identifier=test.edu%2Fbag%2Fdata%2Fa%20b.txt", world.outsider),
            ("institution=example.org", world.instAdmin),
            ("institution=no-such.edu", world.admin),
            ("identifier=00000000-0000-4000-8000-000000000000", world.admin),
        ]
        for (query, caller) in invisible {
            let ndjson = try world.get("/api/v2/events/export?format=ndjson&\(query)", as: caller)
            #expect(ndjson.status == 200, "\(query)")
            #expect(ndjson.body.isEmpty, "\(query): empty body")
            #expect(ndjson.headers["Content-Type"] == "application/x-ndjson")
            // Streamed like any export (AUD-13), so the headers do not tell it apart either.
            #expect(ndjson.headers["Transfer-Encoding"] == "chunked", "\(query)")
            let csv = try world.get("/api/v2/events/export?format=csv&\(query)", as: caller)
            #expect(csv.status == 200, "\(query)")
            #expect(csv.text == ReferenceCSV.header, "\(query): header row only")
            #expect(csv.headers["Content-Disposition"]?.hasPrefix("attachment; filename=\"events-") == true)
        }
        // The invisible answer equals the unknown one byte for byte (apart from nothing: no identifier echoed).
        let hidden = try world.get("/api/v2/events/export?format=csv&object_identifier=example.org%2Fprivate", as: world.user)
        let unknown = try world.get("/api/v2/events/export?format=csv&object_identifier=example.org%2Fnothing", as: world.user)
        #expect(hidden.body == unknown.body)
    }

    @Test("API-80: the export is a member-API route (GET only)")
    func memberAPI() throws {
        let world = try ExportWorld()
        let member = try world.get("/member-api/v2/events/export?format=ndjson", as: world.user)
        #expect(member.status == 200)
        #expect(try world.labels(ndjson: member.body) == ["created", "fixity", "control", "open"])
        let post = try world.registry.client().request(method: "POST", path: "/member-api/v2/events/export",
                                                       headers: world.user.headers)
        #expect(post.status == 405)
        #expect(post.headers["Allow"] == "GET, HEAD")
    }
}
