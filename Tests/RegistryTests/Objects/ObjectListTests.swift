import Foundation
import Testing
import TestSupport

/// `GET /api/v2/objects` and `/objects/{inst}` (route #3, API-90, API-40..49, DOM-93).
@Suite("objects: list")
struct ObjectListTests {
    /// Six objects with distinct values in every filtered column.
    static func world() throws -> ObjectWorld {
        let world = try ObjectWorld()
        try world.createObject("test.edu/alpha", title: "Alpha Report", access: "consortia", extra: [
            "description": "First 100% done", "alt_identifier": "ALT-1", "bag_group_identifier": "group-a",
            "etag": "etag-aaa", "source_organization": "Library", "internal_sender_identifier": "sender_1",
            "bagit_profile_identifier": "profile-x", "bag_name": "zeta"])
        try world.createObject("test.edu/beta", title: "Beta", access: "institution", extra: [
            "description": "second", "alt_identifier": "ALT-2", "bag_group_identifier": "group-b", "etag": "etag-bbb",
            "source_organization": "Archive", "internal_sender_identifier": "sender-2",
            "storage_option": "Glacier-OH", "bag_name": "yankee"])
        try world.createObject("test.edu/gamma", title: "Gamma", access: "restricted", extra: ["bag_name": "xray"])
        try world.createObject("test.edu/deleted", title: "Deleted", extra: ["bag_name": "whiskey"])
        try world.setColumns("test.edu/deleted", "state = 'D'")
        try world.createObject("other.edu/delta", title: "Delta", access: "consortia", extra: ["bag_name": "victor"])
        try world.createObject("other.edu/epsilon", title: "Epsilon", access: "institution", extra: ["bag_name": "uniform"])
        // Distinct, known timestamps (created ascending alpha → epsilon; updated in another order).
        let times: [(String, String, String)] = [
            ("test.edu/alpha", "2024-01-01", "2024-03-05"), ("test.edu/beta", "2024-01-02", "2024-03-01"),
            ("test.edu/gamma", "2024-01-03", "2024-03-04"), ("test.edu/deleted", "2024-01-04", "2024-03-06"),
            ("other.edu/delta", "2024-01-05", "2024-03-03"), ("other.edu/epsilon", "2024-01-06", "2024-03-02"),
        ]
        for (identifier, created, updated) in times {
            try world.setColumns(identifier, "created_at = '\(created)T00:00:00Z', updated_at = '\(updated)T00:00:00Z'")
        }
        try world.insertFile(objectIdentifier: "test.edu/alpha", path: "data/a.pdf", format: "application/pdf")
        try world.insertFile(objectIdentifier: "test.edu/beta", path: "data/b.pdf", format: "application/pdf", state: "D")
        try world.insertFile(objectIdentifier: "test.edu/beta", path: "data/b.txt", format: "text/plain")
        return world
    }

    @Test("API-40, API-90: envelope, default state A, default sort date (updated_at DESC), admin sees all")
    func defaultList() throws {
        let world = try Self.world()
        let response = try world.get("/api/v2/objects/")
        #expect(response.status == 200)
        let envelope = try response.jsonObject()
        #expect(envelope["count"] as? Int == 5)
        #expect(envelope["next"] is NSNull)
        #expect(envelope["previous"] is NSNull)
        #expect(try response.identifiers() == ["test.edu/alpha", "test.edu/gamma", "other.edu/delta",
                                               "other.edu/epsilon", "test.edu/beta"])
        #expect(try topLevelKeys(response.text) == ["count", "next", "previous", "results"])
        let member = try world.get("/member-api/v2/objects")
        #expect(try member.identifiers() == response.identifiers())
    }

    @Test("API-90: every filter")
    func filters() throws {
        let world = try Self.world()
        func ids(_ query: String) throws -> [String] {
            let response = try world.get("/api/v2/objects/?sort=identifier&\(query)")
            #expect(response.status == 200, "\(query): \(response.text)")
            return try response.identifiers()
        }
        #expect(try ids("institution=test.edu") == ["test.edu/alpha", "test.edu/beta", "test.edu/gamma"])
        #expect(try ids("institution=\(world.otherEduID)") == ["other.edu/delta", "other.edu/epsilon"])
        #expect(try ids("institution_identifier=other.edu") == ["other.edu/delta", "other.edu/epsilon"])
        #expect(try ids("institution=other.edu&institution_identifier=test.edu").count == 5)  // API-45a
        #expect(try ids("institution=nowhere.edu").isEmpty)
        #expect(try ids("identifier=test.edu%2Fbeta") == ["test.edu/beta"])
        #expect(try ids("identifier_like=ALP") == ["test.edu/alpha"])
        #expect(try ids("bag_name=yankee") == ["test.edu/beta"])
        #expect(try ids("bag_name_like=ANK") == ["test.edu/beta"])
        #expect(try ids("title_like=report") == ["test.edu/alpha"])
        #expect(try ids("description_like=100%25") == ["test.edu/alpha"])  // API-47: % is literal
        #expect(try ids("description_like=1_0").isEmpty)  // _ is literal too
        #expect(try ids("description_like=*").count == 5)  // [Compat] * alone = no filter
        #expect(try ids("alt_identifier=ALT-2") == ["test.edu/beta"])
        #expect(try ids("alt_identifier_like=alt") == ["test.edu/alpha", "test.edu/beta"])
        #expect(try ids("bag_group_identifier=group-a") == ["test.edu/alpha"])
        #expect(try ids("bag_group_identifier_like=GROUP") == ["test.edu/alpha", "test.edu/beta"])
        #expect(try ids("etag=etag-bbb") == ["test.edu/beta"])
        #expect(try ids("etag_like=aaa") == ["test.edu/alpha"])
        #expect(try ids("access=restricted") == ["test.edu/gamma"])
        #expect(try ids("access=restricted&access=institution") == ["other.edu/epsilon", "test.edu/beta", "test.edu/gamma"].sorted())
        #expect(try ids("state=D") == ["test.edu/deleted"])
        #expect(try ids("state=all").count == 6)
        #expect(try ids("state=A&state=D").count == 6)
        #expect(try ids("state=").count == 5)  // an empty filter is ignored (API-45)
        #expect(try ids("storage_option=Glacier-OH") == ["test.edu/beta"])
        #expect(try ids("source_organization=Library") == ["test.edu/alpha"])
        #expect(try ids("internal_sender_identifier=sender-2") == ["test.edu/beta"])
        #expect(try ids("internal_sender_identifier_like=sender_") == ["test.edu/alpha"])
        #expect(try ids("bagit_profile_identifier=profile-x") == ["test.edu/alpha"])
        // Only objects with an ACTIVE file of that format.
        #expect(try ids("file_format=application%2Fpdf") == ["test.edu/alpha"])
        #expect(try ids("file_format=text/plain") == ["test.edu/beta"])
        #expect(try ids("created_after=2024-01-05") == ["other.edu/delta", "other.edu/epsilon"])  // inclusive
        #expect(try ids("created_before=2024-01-02") == ["test.edu/alpha"])  // exclusive
        #expect(try ids("createdBefore=2024-01-02T00:00:00Z") == ["test.edu/alpha"])  // [Compat] alias
        #expect(try ids("updated_after=2024-03-04T00:00:00Z") == ["test.edu/alpha", "test.edu/gamma"])
        #expect(try ids("updated_before=2024-03-02") == ["test.edu/beta"])
        #expect(try ids("institution=test.edu&access=consortia&title_like=alpha") == ["test.edu/alpha"])  // AND
    }

    @Test("API-90: every sort; API-46: ties broken by id")
    func sorts() throws {
        let world = try Self.world()
        func ids(_ sort: String) throws -> [String] { try world.get("/api/v2/objects?sort=\(sort)").identifiers() }
        #expect(try ids("date") == ["test.edu/alpha", "test.edu/gamma", "other.edu/delta", "other.edu/epsilon", "test.edu/beta"])
        #expect(try ids("created") == ["other.edu/epsilon", "other.edu/delta", "test.edu/gamma", "test.edu/beta", "test.edu/alpha"])
        #expect(try ids("identifier") == ["other.edu/delta", "other.edu/epsilon", "test.edu/alpha", "test.edu/beta", "test.edu/gamma"])
        #expect(try ids("name") == ["other.edu/epsilon", "other.edu/delta", "test.edu/gamma", "test.edu/beta", "test.edu/alpha"])
        #expect(try ids("institution") == ["other.edu/delta", "other.edu/epsilon", "test.edu/alpha", "test.edu/beta", "test.edu/gamma"])
        let invalid = try world.get("/api/v2/objects?sort=title")
        #expect(invalid.status == 400)
        #expect(invalid.message == "invalid sort: title")
        // Equal sort keys: id decides, in the direction of the sort.
        try world.setColumns("test.edu/beta", "updated_at = '2030-01-01T00:00:00Z'")
        try world.setColumns("test.edu/alpha", "updated_at = '2030-01-01T00:00:00Z'")
        #expect(try Array(ids("date").prefix(2)) == ["test.edu/beta", "test.edu/alpha"])
    }

    @Test("API-41..43: paging and next/previous links keep every filter")
    func paging() throws {
        let world = try Self.world()
        let first = try world.get("/api/v2/objects/?state=all&sort=identifier&per_page=2&institution=test.edu")
        let envelope = try first.jsonObject()
        #expect(envelope["count"] as? Int == 4)
        let next = try #require(envelope["next"] as? String)
        #expect(next.hasSuffix("/api/v2/objects/?state=all&sort=identifier&institution=test.edu&page=2&per_page=2"))
        #expect(try first.identifiers() == ["test.edu/alpha", "test.edu/beta"])
        let second = try world.get("/api/v2/objects/?state=all&sort=identifier&institution=test.edu&page=2&per_page=2")
        #expect(try second.identifiers() == ["test.edu/deleted", "test.edu/gamma"])
        #expect(try second.jsonObject()["next"] is NSNull)
        #expect((try second.jsonObject()["previous"] as? String)?.hasSuffix("page=1&per_page=2") == true)
        let uncounted = try world.get("/api/v2/objects?count=false&per_page=1")
        #expect(try uncounted.jsonObject()["count"] is NSNull)
        #expect(try uncounted.jsonObject()["next"] is String)
        #expect(try world.get("/api/v2/objects?page=9").results().isEmpty)
    }

    @Test("/objects/{inst}: the path names the institution; unknown or invisible is a 404")
    func institutionInPath() throws {
        let world = try Self.world()
        let response = try world.get("/api/v2/objects/test.edu?sort=identifier")
        #expect(response.status == 200)
        #expect(try response.identifiers() == ["test.edu/alpha", "test.edu/beta", "test.edu/gamma"])
        let next = try world.get("/api/v2/objects/test.edu/?per_page=1&sort=identifier")
        #expect((try next.jsonObject()["next"] as? String)?.hasSuffix("/api/v2/objects/test.edu/?sort=identifier&page=2&per_page=1") == true)
        let unknown = try world.get("/api/v2/objects/nowhere.edu")
        #expect(unknown.status == 404)
        #expect(unknown.message == "institution not found: nowhere.edu")
        let foreign = try world.get("/api/v2/objects/other.edu", as: world.instAdmin)
        #expect(foreign.status == 404)
        #expect(foreign.message == "institution not found: other.edu")
        #expect(try world.get("/member-api/v2/objects/test.edu", as: world.instAdmin).identifiers().count == 3)
        // List parameters are checked for the list, show flags are not list parameters.
        #expect(try world.get("/api/v2/objects/test.edu?include_files=true").status == 400)
        // The path and the filter combine (AND).
        #expect(try world.get("/api/v2/objects/test.edu?institution=other.edu").identifiers().isEmpty)
    }

    @Test("DOM-93: tenant scoping; inst users never see restricted objects; foreign consortia not listed")
    func tenantScoping() throws {
        let world = try Self.world()
        #expect(try world.get("/api/v2/objects?sort=identifier", as: world.instAdmin).identifiers()
                == ["test.edu/alpha", "test.edu/beta", "test.edu/gamma"])
        #expect(try world.get("/api/v2/objects?sort=identifier", as: world.instUser).identifiers()
                == ["test.edu/alpha", "test.edu/beta"])
        #expect(try world.get("/api/v2/objects?access=restricted", as: world.instUser).jsonObject()["count"] as? Int == 0)
        #expect(try world.get("/api/v2/objects?sort=identifier", as: world.otherAdmin).identifiers()
                == ["other.edu/delta", "other.edu/epsilon"])
        // A filter naming another institution is answered like an unknown one: empty (DOM-96a).
        let foreign = try world.get("/api/v2/objects?institution=other.edu", as: world.instAdmin)
        #expect(foreign.status == 200)
        #expect(try foreign.jsonObject()["count"] as? Int == 0)
        #expect(try world.get("/api/v2/objects?identifier=other.edu%2Fdelta", as: world.instUser).identifiers().isEmpty)
        #expect(try world.get("/api/v2/objects/test.edu?sort=identifier", as: world.instUser).identifiers()
                == ["test.edu/alpha", "test.edu/beta"])
    }

    @Test("API-45, API-45a, API-48: unknown, repeated and unparsable parameters are 400s")
    func badParameters() throws {
        let world = try ObjectWorld()
        let cases: [(String, String)] = [
            ("nope=1", "unknown query parameter: nope"),
            ("institution_id=1", "unknown query parameter: institution_id"),
            ("title_like=a&title_like=b", "parameter may not repeat: title_like"),
            ("sort=date&sort=name", "parameter may not repeat: sort"),
            ("created_before=2024-01-01&createdBefore=2024-01-02", "parameter may not repeat: createdBefore"),
            ("state=X", "invalid value for state: X"),
            ("access=public", "invalid value for access: public"),
            ("storage_option=S3", "invalid value for storage_option: S3"),
            ("created_after=yesterday", "invalid date for created_after: yesterday"),
            ("createdBefore=2024-13-01", "invalid date for createdBefore: 2024-13-01"),
            ("per_page=0", "per_page must be between 1 and 1000"),
            ("page=-1", "page must be a positive integer"),
        ]
        for (query, message) in cases {
            let response = try world.get("/api/v2/objects?\(query)")
            #expect(response.status == 400, "\(query)")
            #expect(response.message == message, "\(query)")
        }
        #expect(try world.get("/api/v2/objects/?").status == 200)
        // A page number too large for a 64-bit integer is still a page past the end (API-41).
        let far = try world.get("/api/v2/objects/?page=99999999999999999999999")
        #expect(far.status == 200)
        #expect(try far.jsonObject()["results"] as? [Any] != nil)
        #expect((try far.jsonObject()["results"] as? [Any])?.isEmpty == true)
        #expect(try far.jsonObject()["next"] is NSNull)
        // API-42: `previous` names the page before the one asked for, however large.
        let previous = try far.jsonObject()["previous"] as? String ?? ""
        #expect(previous.hasSuffix("/api/v2/objects/?page=99999999999999999999998&per_page=10"), "\(previous)")
        let leadingZeros = try world.get("/api/v2/objects/?page=0010&per_page=5").jsonObject()["previous"] as? String ?? ""
        #expect(leadingZeros.hasSuffix("?page=9&per_page=5"), "\(leadingZeros)")
        #expect(try world.get("/api/v2/objects/?page=000").status == 400)
    }
}
