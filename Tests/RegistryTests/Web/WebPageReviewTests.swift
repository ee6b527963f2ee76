import Foundation
import Testing
import TestSupport

/// Page contents from the html.md §4 review: columns, links, errors and filters that must survive.
@Suite("HTML: page review (html.md §4)")
struct WebPageReviewTests {
    @Test("§4: institution links only where the caller may open the page; /items shows the object and the file; deletion is a button")
    func linksTheCallerMayFollow() throws {
        let world = try WebWorld.start()
        let data = try WebFixtures.load(into: world)
        // Another institution's consortia object, file and event: named, not linked (that page is a 404).
        for path in ["/objects/" + encoded(data.sharedObject), "/files/" + encoded(data.sharedFile), "/events/" + data.sharedEvent] {
            let page = try world.instUser.get(path)
            #expect(page.status == 200, "\(path)")
            #expect(page.text.contains("example.org") && !page.text.contains(#"href="/institutions/example.org""#), "\(path)")
            #expect(try world.admin.get(path).text.contains(#"href="/institutions/example.org""#), "\(path)")
        }
        #expect(try world.instUser.get("/objects/" + encoded(data.ownObject)).text.contains(#"href="/institutions/test.edu""#))

        // A file's work item names its object and its file.
        try world.registry.sql().query("UPDATE work_items SET generic_file_identifier = $1 WHERE id = $2::bigint",
                                       [WebFixtures.quoteFile, String(data.ownItem)])
        let items = try world.admin.get("/items")
        #expect(items.text.contains(#"href="/objects/\#(encoded(data.ownObject))""#))
        #expect(items.text.contains(#"href="/files/\#(encoded(WebFixtures.quoteFile))""#))

        // WEB-21/WEB-30: Request deletion is a button.
        let object = try world.instAdmin.get("/objects/" + encoded(data.ownObject))
        #expect(object.text.contains(#"<form method="get" action="/objects/\#(encoded(data.ownObject))/delete"><button type="submit">Request deletion</button></form>"#))
    }

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

    @Test("§4 /alerts, API-48: since takes the selector's tokens and the API's RFC 3339 and YYYY-MM-DD forms; else 400")
    func alertsSince() throws {
        let world = try WebWorld.start()
        let data = try WebFixtures.load(into: world)  // one failed fixity check on test.edu (now), a failed ingest
        try world.registry.sql().query("UPDATE work_items SET updated_at = now() - interval '3 days' WHERE id = $1::bigint",
                                       [String(data.ownItem)])
        let day = DateFormatter()
        day.locale = Locale(identifier: "en_US_POSIX")
        day.timeZone = TimeZone(identifier: "UTC")
        day.dateFormat = "yyyy-MM-dd"
        let fiveDaysAgo = day.string(from: Date().addingTimeInterval(-5 * 86_400))

        let byDate = try world.instAdmin.get("/alerts?since=\(fiveDaysAgo)")
        #expect(byDate.status == 200)
        #expect(byDate.text.contains("Failed ingests (1)") && byDate.text.contains("Failed fixity checks (1)"))
        // The selector keeps the chosen date, so "Show" again asks for the same window.
        #expect(byDate.text.contains(#"<option value="\#(fiveDaysAgo)" selected>Since \#(fiveDaysAgo) 00:00:00 UTC</option>"#))

        let inAnHour = ISO8601DateFormatter().string(from: Date().addingTimeInterval(3_600))  // e.g. 2026-11-27T12:00:00Z
        let byTimestamp = try world.instAdmin.get("/alerts?since=\(encoded(inAnHour))")
        #expect(byTimestamp.status == 200)
        #expect(byTimestamp.text.contains("Failed fixity checks (0)") && byTimestamp.text.contains("Failed ingests (0)"))

        #expect(try world.instAdmin.get("/alerts?since=7d").text.contains("Failed ingests (1)"))  // the tokens stay
        for bad in ["1y", "2026-13-45", "yesterday"] {
            let refused = try world.instAdmin.get("/alerts?since=\(bad)")
            #expect(refused.status == 400 && refused.text.contains("since-error"), "\(bad)")
        }
    }

    @Test("§4 dashboard: the lists section links /alerts and /users for admins and inst admins, not inst users")
    func dashboardListLinks() throws {
        let world = try WebWorld.start()
        for (browser, shown) in [(world.admin, true), (world.instAdmin, true), (world.instUser, false)] {
            let page = try browser.get("/")
            let lists = try #require(page.text.range(of: "<h2>Lists</h2>")).upperBound
            let section = page.text[lists...]
            #expect(section.contains(#"<a href="/alerts">"#) == shown)
            #expect(section.contains(#"<a href="/users">"#) == shown)
            #expect(section.contains(#"<a href="/objects">"#))
        }
    }

    @Test("§4 dashboard: an admin's chosen institution is kept in the figures' links to /objects and /items")
    func dashboardFigureLinksKeepInstitution() throws {
        let world = try WebWorld.start()
        let chosen = try world.admin.get("/?institution=example.org")
        #expect(chosen.status == 200)
        #expect(chosen.text.contains(#"<a href="/objects?institution=example.org">Active objects</a>"#))
        #expect(chosen.text.contains(#"<a href="/items?status=Pending&amp;institution=example.org">Work items pending</a>"#))
        #expect(chosen.text.contains(#"<a href="/items?status=Started&amp;institution=example.org">Work items started</a>"#))
        // A numeric id is shown as the institution it names.
        let id = try #require(try world.value("SELECT id FROM institutions WHERE identifier = 'example.org'"))
        #expect(try world.admin.get("/?institution=\(id)").text.contains(#"<a href="/objects?institution=example.org">"#))
        let all = try world.admin.get("/")
        #expect(all.text.contains(#"<a href="/objects">Active objects</a>"#))
        #expect(all.text.contains(#"<a href="/items?status=Pending">Work items pending</a>"#))
    }

    @Test("§4 /events: the object link always, plus the file link for a file-level event")
    func eventObjectAndFileLinks() throws {
        let world = try WebWorld.start()
        _ = try WebFixtures.load(into: world)
        let objectLevel = TestRegistry.TestEvent(objectIdentifier: "test.edu/bag-restricted")
        try world.registry.appendEvents([objectLevel])
        let page = try world.instAdmin.get("/events?object_identifier=test.edu/bag-inst")
        #expect(page.status == 200)
        let objectLink = #"<a href="/objects/test.edu%2Fbag-inst">test.edu/bag-inst</a>"#
        let fileLink = #"<a href="/files/\#(encoded(WebFixtures.quoteFile))">"#
        #expect(page.text.contains(#"<td class="identifier">\#(objectLink)<br>\#(fileLink)"#))
        let objectOnly = try world.instAdmin.get("/events?object_identifier=test.edu/bag-restricted&object_level=true")
        #expect(objectOnly.text.contains(#"<td class="identifier"><a href="/objects/test.edu%2Fbag-restricted">test.edu/bag-restricted</a></td>"#))
    }

    @Test("WEB-31: the e-mail link of an expired, confirmed or cancelled request, or with a wrong token, shows an error")
    func deletionLinkErrors() throws {
        let world = try WebWorld.start()
        let approver = try world.registry.signedIn("admin2@test.edu", role: "institutional_admin", institution: "test.edu").browser
        try world.registry.makeObject("test.edu/bag", access: "institution")
        try world.registry.makeFile("test.edu/bag/data/a.txt")
        try world.registry.makeFile("test.edu/bag/data/b.txt")
        let first = try world.instAdmin.post("/files/" + encoded("test.edu/bag/data/a.txt") + "/delete")
        let id = String(try #require(first.headers["Location"]).dropFirst("/deletions/".count))
        let token = try WebWorkflowTests.token(world, type: "deletion_request")
        let error = #"<p class="error-summary" role="alert">"#

        let valid = try approver.get("/deletions/\(id)?token=\(token)")
        #expect(valid.status == 200 && !valid.text.contains(error) && valid.text.contains("Confirm deletion"))

        let wrong = try approver.get("/deletions/\(id)?token=\(String(repeating: "0", count: 64))")
        #expect(wrong.status == 200 && wrong.text.contains(error) && wrong.text.contains("is not valid"))
        #expect(!wrong.text.contains("Confirm deletion"))

        try world.registry.sql().query("UPDATE deletion_requests SET token_expires_at = now() - interval '1 hour' WHERE id = $1::bigint", [id])
        let expired = try approver.get("/deletions/\(id)?token=\(token)")
        #expect(expired.status == 200 && expired.text.contains(error) && expired.text.contains("has expired"))
        try world.registry.sql().query("UPDATE deletion_requests SET token_expires_at = now() + interval '1 hour' WHERE id = $1::bigint", [id])

        #expect(try approver.post("/deletions/\(id)/confirm", [("token", token)]).status == 303)
        let used = try approver.get("/deletions/\(id)?token=\(token)")
        #expect(used.status == 200 && used.text.contains(error) && used.text.contains("is approved"))
        #expect(!used.text.contains("Confirm deletion"))

        let second = try world.instAdmin.post("/files/" + encoded("test.edu/bag/data/b.txt") + "/delete")
        let secondID = String(try #require(second.headers["Location"]).dropFirst("/deletions/".count))
        let secondToken = try WebWorkflowTests.token(world, type: "deletion_request")
        #expect(try world.instAdmin.post("/deletions/\(secondID)/cancel").status == 303)
        let cancelled = try approver.get("/deletions/\(secondID)?token=\(secondToken)")
        #expect(cancelled.status == 200 && cancelled.text.contains(error) && cancelled.text.contains("is cancelled"))
        // Without a token the page is as before: no error.
        #expect(!(try approver.get("/deletions/\(secondID)")).text.contains(error))
    }

    @Test("§4: filters carried in a link survive the filter form (objects' and items' institution, items' action, users' institution id)")
    func filtersSurviveTheForm() throws {
        let world = try WebWorld.start()
        let hiddenInstitution = #"<input type="hidden" name="institution" value="test.edu">"#
        // Non-admins have no institution control, so the filter is a hidden field; admins have the select.
        #expect(try world.instUser.get("/objects?institution=test.edu").text.contains(hiddenInstitution))
        #expect(!(try world.admin.get("/objects?institution=test.edu")).text.contains(hiddenInstitution))
        #expect(try world.instUser.get("/items?institution=test.edu").text.contains(hiddenInstitution))

        // `action` is the item_action control: selected there, never a hidden copy.
        let items = try world.admin.get("/items?action=Ingest")
        #expect(items.status == 200)
        #expect(!items.text.contains(#"type="hidden" name="action""#))
        #expect(items.text.contains(#"<option value="Ingest" selected>Ingest</option>"#))
        // The same for /events' AUD-1 aliases: they fill their filter's control, never a hidden copy.
        let events = try world.admin.get("/events?intellectual_object_identifier=test.edu%2Fbag")
        #expect(events.status == 200)
        #expect(!events.text.contains(#"type="hidden" name="intellectual_object_identifier""#))
        #expect(events.text.contains(#"name="object_identifier" type="text" value="test.edu/bag""#))

        // /users?institution= takes an identifier or a numeric id, as the API's lists do.
        let id = try #require(try world.value("SELECT id FROM institutions WHERE identifier = 'example.org'"))
        let byID = try world.admin.get("/users?institution=\(id)")
        #expect(byID.status == 200 && byID.text.contains("Users (1)") && byID.text.contains("admin@example.org"))
        let byIdentifier = try world.admin.get("/users?institution=example.org")
        #expect(byIdentifier.text.contains("Users (1)") && byIdentifier.text.contains("admin@example.org"))
        #expect(try world.admin.get("/users?institution=99999").text.contains("Users (0)"))
    }

    @Test("§4: the event and work item pages show every field of the API representation, ids included")
    func everyFieldOnDetailPages() throws {
        let world = try WebWorld.start()
        let data = try WebFixtures.load(into: world)
        let objectID = try #require(try world.value("SELECT id FROM intellectual_objects WHERE identifier = $1", [data.ownObject]))
        let event = try world.instAdmin.get("/events/" + data.ownEvent)
        #expect(event.status == 200)
        for label in ["Sequence", "Entry hash", "Chain hash", "Intellectual object id", "Generic file id", "Institution id",
                      "Recorded", "Updated"] {
            #expect(event.text.contains("<dt>\(label)</dt>"), "\(label)")
        }
        #expect(event.text.contains("<dt>Intellectual object id</dt><dd>\(objectID)</dd>"))
        let item = try world.admin.get("/items/\(data.ownItem)")
        #expect(item.status == 200)
        for label in ["Object id", "File id", "Institution id", "Work item state id"] {
            #expect(item.text.contains("<dt>\(label)</dt>"), "\(label)")
        }
    }
}
