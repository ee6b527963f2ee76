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
}
