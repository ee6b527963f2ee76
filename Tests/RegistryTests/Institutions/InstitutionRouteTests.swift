import Foundation
import Testing
import TestSupport

/// `/api/v2/institutions` (api-v2.md §10.1, routes #1–#2, W1).
@Suite("Institutions")
struct InstitutionRouteTests {
    @Test("W1: the paged list and the parameterless list (every institution, next null: per_page defaults to 1000)")
    func w1() throws {
        let registry = try TestRegistry.start()
        for index in 0..<12 { try registry.makeInstitution("inst\(index).edu", name: "Institution \(index)") }
        let admin = try registry.makeUser("system@aptrust.org", role: "admin", institution: "inst0.edu")
        let client = try registry.client()
        let paged = try client.request(method: "GET", path: "/api/v2/institutions/?page=1&per_page=100", headers: admin.headers)
        #expect(paged.status == 200)
        let body = try paged.jsonObject()
        #expect(body["count"] as? Int == 12)
        let first = try #require(try paged.results().first)
        for field in ["id", "identifier", "name", "type", "member_institution_id", "state", "deactivated_at",
                      "receiving_bucket", "restore_bucket", "created_at", "updated_at"] {
            #expect(first.keys.contains(field), "missing \(field)")
        }
        #expect(first["receiving_bucket"] as? String == "aptrust.receiving.\(first["identifier"] as? String ?? "")")
        let bare = try client.request(method: "GET", path: "/api/v2/institutions/?", headers: admin.headers)
        #expect(bare.status == 200)
        #expect(try bare.results().count == 12)
        #expect(try bare.jsonObject()["next"] is NSNull)
        // Sorted by name (byte order), ending with id (API-46).
        let names = try bare.results().compactMap { $0["name"] as? String }
        #expect(names == names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
        let small = try client.request(method: "GET", path: "/api/v2/institutions?per_page=5&page=2", headers: admin.headers)
        #expect(try small.results().count == 5)
        #expect((try small.jsonObject()["next"] as? String)?.hasSuffix("/api/v2/institutions?page=3&per_page=5") == true)
    }

    @Test("§10.1: non-admins see only their own institution, in lists and shows (another is a 404 like an unknown one)")
    func scoping() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("other.edu")
        try registry.makeInstitution("sub.test.edu", parent: "test.edu")
        let user = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
        let client = try registry.client()
        let list = try client.request(method: "GET", path: "/api/v2/institutions", headers: user.headers)
        #expect(try list.identifiers() == ["test.edu"])
        #expect(try client.request(method: "GET", path: "/api/v2/institutions/test.edu", headers: user.headers).status == 200)
        let other = try client.request(method: "GET", path: "/api/v2/institutions/other.edu", headers: user.headers)
        let unknown = try client.request(method: "GET", path: "/api/v2/institutions/nope.edu", headers: user.headers)
        #expect(other.status == 404 && unknown.status == 404)
        #expect(other.message == "institution not found: other.edu")
        #expect(unknown.message == "institution not found: nope.edu")
        let subscriber = try client.request(method: "GET", path: "/api/v2/institutions/sub.test.edu", headers: user.headers)
        #expect(subscriber.status == 404, "DOM-50: the parent link grants no access")
        // The member API serves the same.
        #expect(try client.request(method: "GET", path: "/member-api/v2/institutions/test.edu", headers: user.headers).status == 200)
    }

    @Test("§10.1: filters identifier, receiving_bucket, type, state; show by id; bad values are 400")
    func filtersAndShow() throws {
        let registry = try TestRegistry.start()
        let testID = try registry.makeInstitution("test.edu")
        try registry.makeInstitution("sub.test.edu", parent: "test.edu")
        try registry.makeInstitution("gone.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        #expect(try registry.cli(["institution", "deactivate", "gone.edu"]).status == 0)
        let client = try registry.client()
        func identifiers(_ query: String) throws -> [String] {
            try client.request(method: "GET", path: "/api/v2/institutions?\(query)", headers: admin.headers).identifiers()
        }
        #expect(try identifiers("identifier=sub.test.edu") == ["sub.test.edu"])
        #expect(try identifiers("receiving_bucket=aptrust.receiving.test.edu") == ["test.edu"])
        #expect(try identifiers("type=SubscriptionInstitution") == ["sub.test.edu"])
        #expect(try identifiers("state=D") == ["gone.edu"])
        #expect(try identifiers("state=A&state=D").count == 3, "API-45a: state may repeat (any of)")
        let repeated = try client.request(method: "GET", path: "/api/v2/institutions?type=SubscriptionInstitution&type=MemberInstitution",
                                          headers: admin.headers)
        #expect(repeated.status == 400)
        #expect(repeated.message == "parameter may not repeat: type")
        #expect(try client.request(method: "GET", path: "/api/v2/institutions?type=Member", headers: admin.headers).status == 400)
        #expect(try client.request(method: "GET", path: "/api/v2/institutions?sort=identifier", headers: admin.headers).status == 400)
        #expect(try client.request(method: "GET", path: "/api/v2/institutions?colour=red", headers: admin.headers).status == 400)
        let byID = try client.request(method: "GET", path: "/api/v2/institutions/\(testID)", headers: admin.headers)
        #expect(try byID.jsonObject()["identifier"] as? String == "test.edu")
        #expect(try client.request(method: "POST", path: "/api/v2/institutions", headers: admin.headers).status == 405)
    }
}
