import Foundation
import Testing
import TestSupport

/// `files_page` on an object page and `events_page` on a file page (html.md §4 detail tables).
@Suite("HTML: detail-page pagination")
struct WebDetailPaginationTests {
    @Test("files_page and events_page: a page number whose offset would overflow is a 400, and the server carries on")
    func hugePageNumbersAreRefused() throws {
        let world = try WebWorld.start()
        try world.registry.makeObject("test.edu/paged")
        try world.registry.makeFile("test.edu/paged/data/a.txt")
        let object = "/objects/" + encoded("test.edu/paged")
        let file = "/files/" + encoded("test.edu/paged/data/a.txt")
        for (path, parameter) in [(object, "files_page"), (file, "events_page")] {
            #expect(try world.admin.get(path + "?\(parameter)=2").status == 200, "past the end: an empty table")
            for huge in ["1000000001", String(Int.max), "99999999999999999999"] {
                let page = try world.admin.get(path + "?\(parameter)=\(huge)")
                #expect(page.status == 400, "\(parameter)=\(huge)")
            }
            #expect(try world.admin.get(path).status == 200, "the server is still up")
        }
    }

    @Test("List pages and API lists: a page number of any size is a page past the end, and the server carries on")
    func hugeListPages() throws {
        let world = try WebWorld.start()
        try world.registry.makeObject("test.edu/paged")
        // 461168601842738791 × 20 lands just below Int.max: adding the page size and the count cap to
        // that offset once trapped, and stopped the process.
        for huge in ["461168601842738791", "922337203685477581", String(Int.max), "99999999999999999999"] {
            for path in ["/objects", "/events", "/items", "/deletions", "/institutions", "/users"] {
                let page = try world.admin.get(path + "?page=\(huge)")
                #expect(page.status == 200, "\(path)?page=\(huge)")
            }
            for path in ["/api/v2/objects/", "/api/v2/files/", "/api/v2/events/", "/api/v2/items/"] {
                let response = try world.registry.client().request(method: "GET", path: path + "?page=\(huge)&per_page=20",
                                                                    headers: world.adminCredentials.headers)
                #expect(response.status == 200, "\(path)?page=\(huge)")
            }
        }
        #expect(try world.admin.get("/objects").status == 200, "the server is still up")
    }
}
