import Foundation
import Testing
import TestSupport

@Suite("HTML: lists")
struct WebListTests {
    /// The object identifiers linked from a list page's table rows.
    static func objectLinks(_ html: String) -> [String] {
        let regex = try! NSRegularExpression(pattern: #"<th scope="row" class="identifier"><a href="/objects/([^"]+)">"#)
        return regex.matches(in: html, range: NSRange(html.startIndex..., in: html)).map {
            ((html as NSString).substring(with: $0.range(at: 1))).removingPercentEncoding ?? ""
        }
    }

    @Test("§4: /objects uses the API's filters (same results as /api/v2/objects), paginates, and shows facets per WEB-27")
    func objects() throws {
        let world = try WebWorld.start()
        for index in 1...25 {
            try world.registry.makeObject("test.edu/bag-\(index)", access: ["consortia", "institution", "restricted"][index % 3])
        }
        for index in 1...5 { try world.registry.makeObject("example.org/other-\(index)", access: "consortia") }

        // Same rows as the API for the same query string (one implementation of each filter).
        for query in ["access=consortia", "identifier_like=bag-1", "access=institution&access=restricted&sort=identifier",
                      "state=all&sort=name", "institution=example.org"] {
            let page = try world.admin.get("/objects?per_page=100&" + query)
            #expect(page.status == 200, "\(query)")
            let api = try world.registry.client().request(method: "GET", path: "/api/v2/objects?per_page=100&" + query,
                                                          headers: world.adminCredentials.headers)
            #expect(Self.objectLinks(page.text) == (try api.identifiers()), "\(query)")
        }

        // Pagination: page/per_page, "Page X of Y", previous/next, aria-current.
        let first = try world.instAdmin.get("/objects?per_page=10&sort=identifier")
        #expect(Self.objectLinks(first.text).count == 10)
        #expect(first.text.contains(#"<nav class="pagination" aria-label="Pagination">"#))
        #expect(first.text.contains(#"<span aria-current="page">Page 1 of 3</span>"#))
        #expect(first.text.contains(#"href="/objects?per_page=10&amp;sort=identifier&amp;page=2" rel="next""#))
        let last = try world.instAdmin.get("/objects?per_page=10&sort=identifier&page=3")
        #expect(Self.objectLinks(last.text).count == 5 && last.text.contains("Page 3 of 3"))
        #expect(Self.objectLinks(try world.instAdmin.get("/objects").text).count == 20)  // default per_page

        // WEB-27: counted facets for a tenant-scoped set, plain values for an admin across institutions.
        let scoped = try world.instAdmin.get("/objects")
        #expect(scoped.text.contains(#"<a href="/objects?access=consortia">consortia</a> <span class="muted">(8)</span>"#))
        let inst = try world.instUser.get("/objects")
        #expect(!inst.text.contains(">restricted</a>"))  // DOM-93
        let everything = try world.admin.get("/objects")
        #expect(everything.text.contains(#"<a href="/objects?access=consortia">consortia</a></li>"#))
        let adminScoped = try world.admin.get("/objects?institution=test.edu")
        #expect(adminScoped.text.contains(#"consortia</a> <span class="muted">(8)</span>"#))
        // Active filters are removable links.
        let filtered = try world.instAdmin.get("/objects?access=consortia&identifier_like=bag")
        #expect(filtered.text.contains(#"<a href="/objects?identifier_like=bag" aria-label="Remove filter Access: consortia">"#))

        // Invalid or unknown parameters: the form with the error, status 400.
        for query in ["state=X", "per_page=7", "foo=1", "identifier_like=a&identifier_like=b", "sort=bogus", "created_after=yesterday"] {
            let page = try world.instAdmin.get("/objects?" + query)
            #expect(page.status == 400, "\(query)")
            #expect(page.text.contains(#"<div class="form-errors" role="alert">"#) && page.text.contains("<form"), "\(query)")  // WEB-21
        }
    }

    @Test("§4: /items facets for action, stage and status; /events filters and export links; invalid parameters 400")
    func itemsAndEvents() throws {
        let world = try WebWorld.start()
        let data = try WebFixtures.load(into: world)
        _ = try WebFixtures.item(world.registry, institution: "test.edu", object: data.ownObject, action: "Restore", status: "Pending")
        let items = try world.instAdmin.get("/items")
        #expect(items.status == 200)
        #expect(items.text.contains(#"<a href="/items?item_action=Ingest">Ingest</a> <span class="muted">(1)</span>"#))
        #expect(items.text.contains(#"<a href="/items?status=Pending">Pending</a> <span class="muted">(1)</span>"#))
        #expect(!items.text.contains("bag-other.tar"))  // another institution's item
        let filtered = try world.instAdmin.get("/items?item_action=Restore")
        #expect(filtered.text.contains("Work items (1)"))
        // API-105's node filter works for every role, within the caller's own items.
        let byNode = try world.instAdmin.get("/items?node=x")
        #expect(byNode.status == 200)
        #expect(byNode.text.contains("Work items (0)"))
        #expect(try world.admin.get("/items?node=x").status == 200)

        let events = try world.instAdmin.get("/events?outcome=Failure&sort=date_asc")
        #expect(events.status == 200)
        #expect(events.text.contains("Events (1)") && events.text.contains("Failed (Failed)"))  // DOM-37
        #expect(events.text.contains(#"href="/events/export?format=csv&amp;outcome=Failure&amp;sort=date_asc""#))
        #expect(events.text.contains(#"href="/events/export?format=ndjson&amp;outcome=Failure&amp;sort=date_asc""#))
        #expect(try world.instAdmin.get("/events?event_type=Fixity+Check").status == 400)
        #expect(try world.instAdmin.get("/events?object_identifier=" + encoded(data.sharedObject)).text.contains("Events (1)"))  // DOM-94
        #expect(try world.instAdmin.get("/events?object_identifier=" + encoded(data.otherObject)).text.contains("Events (0)"))  // DOM-96a
    }
}
