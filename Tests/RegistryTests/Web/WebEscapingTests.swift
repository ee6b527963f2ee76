import Foundation
import Testing
import TestSupport

@Suite("HTML: escaping")
struct WebEscapingTests {
    @Test("WEB-18: the title <script>alert(1)</script> and the file a\"onmouseover=\"x.txt are literal text on every page they appear")
    func probesStayText() throws {
        let world = try WebWorld.start()
        let data = try WebFixtures.load(into: world)
        let pages = [
            "/objects", "/objects?title_like=script", "/objects/" + encoded(data.ownObject),
            "/files/" + encoded(WebFixtures.quoteFile), "/events", "/events?object_identifier=" + encoded(data.ownObject),
            "/events/" + data.ownEvent, "/items", "/items/\(data.ownItem)",
        ]
        var sawTitle = 0, sawFile = 0
        for path in pages {
            for browser in [world.admin, world.instAdmin] {
                let page = try browser.get(path)
                #expect(page.status == 200, "\(path)")
                let html = page.text
                #expect(!html.contains(WebFixtures.scriptTitle), "\(path) contains the raw title")
                #expect(!html.contains(#"a"onmouseover="x.txt"#), "\(path) contains the raw file name")
                #expect(!html.contains("<script"), "\(path)")
                if html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") { sawTitle += 1 }
                if html.contains("a&quot;onmouseover=&quot;x.txt") { sawFile += 1 }
            }
        }
        // The probes are on the object list and page (title), the file page, the event pages (file).
        #expect(sawTitle >= 6)
        #expect(sawFile >= 6)
        // Links encode the identifier (every byte but A–Z a–z 0–9 - _ . ~).
        let object = try world.admin.get("/objects/" + encoded(data.ownObject))
        #expect(object.text.contains(#"href="/files/test.edu%2Fbag-inst%2Fdata%2Fa%22onmouseover%3D%22x.txt""#))
    }
}
