import Foundation
import Testing
import TestSupport

@Suite("HTML: institutions")
struct WebInstitutionTests {
    @Test("WEB-43a, WEB-43b: admins create, edit, deactivate and reactivate; others are refused; errors are 422")
    func adminForms() throws {
        let world = try WebWorld.start()
        let created = try world.admin.post("/institutions", [("identifier", "new.edu"), ("name", "New University"),
                                                             ("type", "SubscriptionInstitution"), ("parent", "test.edu")])
        #expect(created.status == 303 && created.headers["Location"] == "/institutions/new.edu")
        let row = try world.registry.sql().query("""
            SELECT i.type, p.identifier, i.receiving_bucket, (SELECT count(*) FROM event_chain_heads h WHERE h.institution_id = i.id)
            FROM institutions i JOIN institutions p ON p.id = i.member_institution_id WHERE i.identifier = 'new.edu'
            """)
        #expect(row == [["SubscriptionInstitution", "test.edu", "aptrust.receiving.new.edu", "1"]])

        let invalid = try world.admin.post("/institutions", [("identifier", "Not Valid"), ("name", ""),
                                                             ("type", "SubscriptionInstitution"), ("parent", "")])
        #expect(invalid.status == 422)
        for field in ["identifier-error", "name-error", "parent-error"] { #expect(invalid.text.contains(field), "\(field)") }
        #expect(try world.admin.post("/institutions", [("identifier", "test.edu"), ("name", "Again"),
                                                       ("type", "MemberInstitution")]).status == 422)
        // DOM-5/DOM-10: the identifier is taken as typed; surrounding whitespace makes it invalid.
        for spaced in ["spaced.edu ", " spaced.edu", "spaced.edu\t"] {
            let refused = try world.admin.post("/institutions", [("identifier", spaced), ("name", "Spaced \(spaced.count)"),
                                                                 ("type", "MemberInstitution")])
            #expect(refused.status == 422 && refused.text.contains("identifier-error"), "\(spaced.debugDescription)")
        }
        #expect(try world.value("SELECT count(*) FROM institutions WHERE identifier LIKE '%spaced%'") == "0")

        let edit = try world.admin.get("/institutions/new.edu/edit")
        #expect(edit.status == 200 && edit.text.contains(#"readonly value="new.edu""#))
        let updated = try world.admin.post("/institutions/new.edu", [("name", "Renamed University"), ("type", "MemberInstitution"),
                                                                     ("parent", "")])
        #expect(updated.status == 303)
        #expect(try world.registry.sql().query("SELECT name, type, member_institution_id IS NULL FROM institutions WHERE identifier = 'new.edu'")
            == [["Renamed University", "MemberInstitution", "t"]])
        let details = try #require(try world.value("SELECT details::text FROM audit_log WHERE action = 'institution.update'"))
        #expect(details.contains("Renamed University") && details.contains("changes"))

        #expect(try world.admin.post("/institutions/example.org/deactivate").status == 303)
        #expect(try world.registry.sql().query("SELECT state, deactivated_at IS NOT NULL FROM institutions WHERE identifier = 'example.org'")
            == [["D", "t"]])
        #expect(try world.otherAdmin.get("/").status == 303)  // DOM-51
        #expect(try world.admin.post("/institutions/example.org/reactivate").status == 303)
        #expect(try world.registry.sql().query("SELECT state, deactivated_at IS NULL FROM institutions WHERE identifier = 'example.org'")
            == [["A", "t"]])
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action IN ('institution.deactivate', 'institution.reactivate')") == 2)

        // Non-admins: their own institution is read-only (403), another one does not exist (404).
        #expect(try world.instAdmin.post("/institutions/test.edu/deactivate").status == 403)
        #expect(try world.instAdmin.post("/institutions/example.org/deactivate").status == 404)
        #expect(try world.instAdmin.post("/institutions", [("identifier", "x.edu"), ("name", "X"), ("type", "MemberInstitution")]).status == 403)
        #expect(try world.instAdmin.post("/institutions/test.edu", [("name", "Mine"), ("type", "MemberInstitution")]).status == 403)
        let own = try world.instAdmin.get("/institutions/test.edu")
        #expect(own.status == 200 && !own.text.contains("/deactivate") && !own.text.contains("/edit"))
        let list = try world.instUser.get("/institutions")
        #expect(list.text.contains("test.edu") && !list.text.contains("example.org"))
    }
}

@Suite("HTML: work items")
struct WebItemTests {
    @Test("WEB-32, DOM-115: admins requeue (stage for Ingest, delete_state for restores); others cannot; Success is 409")
    func requeue() throws {
        let world = try WebWorld.start()
        try world.registry.makeObject("test.edu/bag-inst")
        let ingest = try WebFixtures.item(world.registry, institution: "test.edu", object: "test.edu/bag-inst")
        let restore = try WebFixtures.item(world.registry, institution: "test.edu", object: "test.edu/bag-inst", action: "Restore")
        let done = try WebFixtures.item(world.registry, institution: "test.edu", object: "test.edu/bag-inst", status: "Success")

        let page = try world.admin.get("/items/\(ingest)")
        #expect(page.text.contains(#"<select id="stage" name="stage">"#) && !page.text.contains("delete_state"))
        #expect(try world.admin.get("/items/\(restore)").text.contains(#"name="delete_state""#))
        #expect(!(try world.instAdmin.get("/items/\(ingest)")).text.contains("Requeue"))
        #expect(try world.instAdmin.post("/items/\(ingest)/requeue", [("stage", "Fetch")]).status == 403)
        #expect(try world.otherAdmin.post("/items/\(ingest)/requeue", [("stage", "Fetch")]).status == 404)

        let missingStage = try world.admin.post("/items/\(ingest)/requeue", [("stage", "Bogus")])
        #expect(missingStage.status == 422 && missingStage.text.contains("stage-error"))
        let requeued = try world.admin.post("/items/\(ingest)/requeue", [("stage", "Fetch")])
        #expect(requeued.status == 303 && requeued.headers["Location"] == "/items/\(ingest)")
        #expect(try world.registry.sql().query("""
            SELECT stage, status, note, retry, (SELECT count(*) FROM work_item_states s WHERE s.work_item_id = w.id)
            FROM work_items w WHERE id = $1
            """, [String(ingest)]) == [["Receive", "Pending", "Item is pending ingest", "t", "0"]])
        #expect(try world.admin.get("/items/\(ingest)").text.contains("The work item has been requeued."))

        #expect(try world.admin.post("/items/\(restore)/requeue", [("delete_state", "true")]).status == 303)
        #expect(try world.count("SELECT count(*) FROM work_item_states WHERE work_item_id = $1", [String(restore)]) == 0)
        // A browser's default checkbox value (`on`) checks it as well.
        let glacier = try WebFixtures.item(world.registry, institution: "test.edu", object: "test.edu/bag-inst", action: "Restore")
        #expect(try world.count("SELECT count(*) FROM work_item_states WHERE work_item_id = $1", [String(glacier)]) == 1)
        #expect(try world.admin.post("/items/\(glacier)/requeue", [("delete_state", "on")]).status == 303)
        #expect(try world.count("SELECT count(*) FROM work_item_states WHERE work_item_id = $1", [String(glacier)]) == 0)
        #expect(try world.admin.post("/items/\(done)/requeue", [("stage", "Fetch")]).status == 409)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'work_item.requeue'") == 3)

        let state = try world.admin.get("/items/\(done)/state")
        #expect(state.status == 200 && state.text.contains("<pre>abc</pre>"))
    }
}
