import Foundation
import Testing
import TestSupport

/// Page contents from the html.md §4 review: columns, links, errors and filters that must survive.
@Suite("HTML: page review (html.md §4)")
struct WebPageReviewTests {
    @Test("§4 /institutions: the list shows the receiving and restore buckets")
    func institutionBuckets() throws {
        let world = try WebWorld.start()
        let all = try world.admin.get("/institutions")
        #expect(all.status == 200)
        #expect(all.text.contains(#"<th scope="col">Receiving bucket</th><th scope="col">Restore bucket</th>"#))
        #expect(all.text.contains(">aptrust.receiving.test.edu<") && all.text.contains(">aptrust.restore.example.org<"))
        let own = try world.instUser.get("/institutions")
        #expect(own.text.contains(">aptrust.restore.test.edu<") && !own.text.contains("aptrust.restore.example.org"))
    }
}
