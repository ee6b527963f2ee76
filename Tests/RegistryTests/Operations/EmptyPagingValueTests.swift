import Foundation
import Testing
import TestSupport

/// API-41, API-44, API-46, API-120: `page=`, `per_page=`, `count=`, `sort=` and the alerts' `limit=`
/// are values, and an empty one is not an integer, a boolean or a listed sort: 400. (An empty
/// *filter* is ignored, API-45.)
@Suite("Lists: empty paging values")
struct EmptyPagingValueTests {
    @Test("every API list answers 400 to an empty page, per_page, count or sort; an empty filter is ignored")
    func emptyValuesAreRefused() throws {
        let registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("admin@test.edu", role: "admin", institution: "test.edu")
        let client = try registry.client()
        let lists = ["/api/v2/institutions", "/api/v2/objects", "/api/v2/files", "/api/v2/checksums", "/api/v2/events",
                     "/api/v2/items", "/api/v2/storage_records", "/api/v2/deletions", "/api/v2/notifications",
                     "/api/v2/audit/log", "/member-api/v2/objects"]
        for list in lists {
            for parameter in ["page", "per_page", "count", "sort"] {
                let response = try client.request(method: "GET", path: "\(list)?\(parameter)=", headers: admin.headers)
                #expect(response.status == 400, "\(list)?\(parameter)=: \(response.status) \(response.text.prefix(200))")
            }
            #expect(try client.request(method: "GET", path: list, headers: admin.headers).status == 200, "\(list)")
        }
        let messages = [("per_page", "per_page must be between 1 and 1000"), ("page", "page must be a positive integer"),
                        ("count", "count must be true or false")]
        for (parameter, message) in messages {
            let response = try client.request(method: "GET", path: "/api/v2/items?\(parameter)=", headers: admin.headers)
            #expect(try response.jsonObject()["message"] as? String == message)
        }
        #expect(try client.request(method: "GET", path: "/api/v2/alerts?limit=", headers: admin.headers).status == 400)
        // An empty filter is still no filter (API-45).
        #expect(try client.request(method: "GET", path: "/api/v2/items?status=&per_page=5", headers: admin.headers).status == 200)
    }
}
