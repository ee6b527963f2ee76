import Foundation
import Testing
import TestSupport

@Suite("HTML: restore and deletion workflows")
struct WebWorkflowTests {
    /// The newest notification's token of `type` (the only copy of it, DOM-120).
    static func token(_ world: WebWorld, type: String) throws -> String {
        let body = try #require(try world.value("SELECT body FROM notifications WHERE notification_type = $1 ORDER BY id DESC LIMIT 1", [type]))
        IssuedSecrets.recordHexTokens(in: body)
        let range = try #require(body.range(of: #"token=[0-9a-f]{64}"#, options: .regularExpression))
        return String(body[range].dropFirst(6))
    }

    @Test("WEB-30, DOM-110/111: restore buttons for permitted callers of active records; 303 + work item; 409 as a notice; 403/404")
    func restore() throws {
        let world = try WebWorld.start()
        try world.registry.makeObject("test.edu/bag", access: "consortia")
        try world.registry.makeFile("test.edu/bag/data/a.txt")
        let objectPath = "/objects/" + encoded("test.edu/bag")
        #expect(try world.instAdmin.get(objectPath).text.contains(#"action="/objects/test.edu%2Fbag/restore""#))
        #expect(!(try world.instUser.get(objectPath)).text.contains("/restore"))
        #expect(!(try world.otherAdmin.get(objectPath)).text.contains("/restore"))  // visible consortia object, not theirs

        #expect(try world.instUser.post(objectPath + "/restore").status == 403)
        #expect(try world.otherAdmin.post(objectPath + "/restore").status == 403)
        #expect(try world.otherAdmin.post("/objects/" + encoded("test.edu/nothing") + "/restore").status == 404)
        let requested = try world.instAdmin.post(objectPath + "/restore")
        #expect(requested.status == 303 && requested.headers["Location"] == objectPath)
        let item = try world.registry.sql().query("""
            SELECT id, action, stage, status, "user" FROM work_items WHERE object_identifier = 'test.edu/bag'
            """)
        #expect(item.count == 1 && Array(item[0].dropFirst()) == ["Restore", "Requested", "Pending", "admin@test.edu"])
        // §4.12: the audit row records the status sent, the page's 303 (not the API's 200).
        #expect(try world.value("SELECT status::text FROM audit_log WHERE action = 'restore.request' ORDER BY id DESC LIMIT 1")
                == "303")
        #expect(try world.instAdmin.get(objectPath).text.contains("Restore requested: work item \(item[0][0] ?? "")."))
        let again = try world.instAdmin.post(objectPath + "/restore")
        #expect(again.status == 409)
        #expect(again.text.contains("Restore refused: object has pending work (Restore)"))
        #expect(try world.count("SELECT count(*) FROM work_items") == 1)

        // A file of an object with a pending restore is refused too (DOM-111); a deleted object has no button.
        let filePath = "/files/" + encoded("test.edu/bag/data/a.txt")
        #expect(try world.admin.post(filePath + "/restore").status == 409)
        try world.registry.makeObject("test.edu/gone", access: "institution")
        try world.registry.sql().query("UPDATE intellectual_objects SET state = 'D' WHERE identifier = 'test.edu/gone'")
        #expect(!(try world.instAdmin.get("/objects/" + encoded("test.edu/gone"))).text.contains("/restore"))
        #expect(try world.instAdmin.post("/objects/" + encoded("test.edu/gone") + "/restore").status == 409)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'restore.request'") == 1)
    }

    @Test("WEB-30, WEB-31, DOM-120/121/122: request with a confirmation page; the e-mail link confirms; wrong token 409; requester 403")
    func deletion() throws {
        let world = try WebWorld.start()
        let second = try world.registry.signedIn("admin2@test.edu", role: "institutional_admin", institution: "test.edu").browser
        try world.registry.makeObject("test.edu/bag", access: "institution")
        for name in ["a", "b", "c"] { try world.registry.makeFile("test.edu/bag/data/\(name).txt") }
        let objectPath = "/objects/" + encoded("test.edu/bag")

        let confirmPage = try world.instAdmin.get(objectPath + "/delete")
        #expect(confirmPage.status == 200)
        #expect(confirmPage.text.contains("This asks for the deletion of the object and its") && confirmPage.text.contains("active files"))
        #expect(confirmPage.text.contains(#"<form method="post" action="/objects/test.edu%2Fbag/delete""#))
        #expect(try world.instUser.get(objectPath + "/delete").status == 403)
        let requested = try world.instAdmin.post(objectPath + "/delete")
        #expect(requested.status == 303)
        let location = try #require(requested.headers["Location"])
        #expect(location.hasPrefix("/deletions/"))
        let id = String(location.dropFirst("/deletions/".count))
        let token = try Self.token(world, type: "deletion_request")
        #expect(try world.value("SELECT recipients::text FROM notifications WHERE notification_type = 'deletion_request'") == "{admin2@test.edu}")
        #expect(try world.instAdmin.get(objectPath).text.contains("Deletion request <a href=\"/deletions/\(id)\">\(id)</a> is open"))

        // The requester (not the only inst admin) sees no form and is refused whatever the token (DOM-121).
        let asRequester = try world.instAdmin.get("/deletions/\(id)?token=\(token)")
        #expect(asRequester.status == 200 && !asRequester.text.contains("/confirm"))
        #expect(asRequester.text.contains("You may not take this step (confirm deletion) of deletion request \(id)."))
        #expect(try world.instAdmin.post("/deletions/\(id)/confirm", [("token", token)]).status == 403)
        #expect(try world.admin.post("/deletions/\(id)/confirm", [("token", token)]).status == 403)  // admins cannot confirm singles
        #expect(try world.otherAdmin.get("/deletions/\(id)").status == 404)

        let link = try second.get("/deletions/\(id)?token=\(token)")
        #expect(link.text.contains(#"name="token" value="\#(token)""#) && link.text.contains("Confirm deletion"))
        let wrong = try second.post("/deletions/\(id)/confirm", [("token", String(repeating: "0", count: 64))])
        #expect(wrong.status == 409 && wrong.text.contains("is not valid"))
        #expect(try world.value("SELECT status FROM deletion_requests WHERE id = $1", [id]) == "requested")
        let confirmed = try second.post("/deletions/\(id)/confirm", [("token", token)])
        #expect(confirmed.status == 303 && confirmed.headers["Location"] == "/deletions/\(id)")
        #expect(try world.value("SELECT status FROM deletion_requests WHERE id = $1", [id]) == "approved")
        #expect(try world.count("SELECT count(*) FROM work_items WHERE deletion_request_id = $1 AND action = 'Delete'", [id]) == 3)
        // WEB-31, WEB-10, OPS-42: the e-mail link survives a login, and its token reaches no log.
        let stranger = WebBrowser(world.registry)
        let toLogin = try stranger.get("/deletions/\(id)?token=\(token)")
        #expect(toLogin.status == 303)
        let loginPath = try #require(toLogin.headers["Location"])
        #expect(try stranger.get(loginPath).text.contains(#"name="next" value="/deletions/\#(id)?token=\#(token)""#))
        let back = try stranger.signIn("admin@test.edu", WebWorld.password, next: "/deletions/\(id)?token=\(token)")
        #expect(back.headers["Location"] == "/deletions/\(id)?token=\(token)")
        #expect(!world.registry.log().contains(token))

        let shown = try second.get("/deletions/\(id)")
        #expect(shown.text.contains("The deletion request has been confirmed.") && shown.text.contains("Delete work items (3)"))
        #expect(try second.post("/deletions/\(id)/confirm", [("token", token)]).status == 409)  // used
        #expect(try world.instAdmin.post("/deletions/\(id)/cancel").status == 409)  // approved: no cancel
    }

    @Test("DOM-127, §4: cancel a file request; /deletions lists with the status filter, expired shown as such")
    func cancelAndList() throws {
        let world = try WebWorld.start()
        try world.registry.makeObject("test.edu/bag", access: "institution")
        try world.registry.makeFile("test.edu/bag/data/a.txt")
        try world.registry.makeFile("test.edu/bag/data/b.txt")
        let first = try world.instAdmin.post("/files/" + encoded("test.edu/bag/data/a.txt") + "/delete")
        let second = try world.instAdmin.post("/files/" + encoded("test.edu/bag/data/b.txt") + "/delete")
        #expect(first.status == 303 && second.status == 303)
        let firstID = String(try #require(first.headers["Location"]).dropFirst("/deletions/".count))
        let secondID = String(try #require(second.headers["Location"]).dropFirst("/deletions/".count))
        _ = try Self.token(world, type: "deletion_request")

        #expect(try world.instUser.post("/deletions/\(firstID)/cancel").status == 403)
        #expect(try world.instAdmin.post("/deletions/\(firstID)/cancel").status == 303)
        #expect(try world.value("SELECT status FROM deletion_requests WHERE id = $1", [firstID]) == "cancelled")
        #expect(try world.instAdmin.post("/deletions/\(firstID)/cancel").status == 409)

        try world.registry.sql().query("UPDATE deletion_requests SET token_expires_at = now() - interval '1 hour' WHERE id = $1::bigint", [secondID])
        let expired = try world.instUser.get("/deletions?status=expired")
        #expect(expired.status == 200 && expired.text.contains("Deletion requests (1)") && expired.text.contains("<td>expired</td>"))
        #expect(try world.instUser.get("/deletions?status=cancelled").text.contains("Deletion requests (1)"))
        #expect(try world.otherAdmin.get("/deletions").text.contains("Deletion requests (0)"))
        #expect(try world.instUser.get("/deletions?status=bogus").status == 400)
        // An expired request can still be cancelled (DOM-127).
        #expect(try world.instAdmin.post("/deletions/\(secondID)/cancel").status == 303)
    }

    @Test("DOM-131/132: a bulk request is approved on its page by an inst admin, then by an admin, each with their e-mailed token")
    func bulkApprovals() throws {
        let world = try WebWorld.start()
        try world.registry.makeObject("test.edu/bulk-1", access: "institution")
        try world.registry.makeFile("test.edu/bulk-1/data/a.txt")
        let trigger = try world.registry.client().request(
            method: "POST", path: "/api/v2/test.edu/trigger_bulk_delete",
            headers: world.adminCredentials.headers + [("Content-Type", "application/json")],
            body: #"{"ident_list": ["test.edu/bulk-1"]}"#)
        #expect(trigger.status == 204)
        let id = try #require(try world.value("SELECT max(id) FROM deletion_requests"))
        let first = try Self.token(world, type: "bulk_deletion_request")
        #expect(try world.instAdmin.get("/deletions/\(id)?token=\(first)").text.contains("Approve for the institution"))
        #expect(try world.admin.post("/deletions/\(id)/confirm", [("token", first)]).status == 403)  // not the admins' step yet
        #expect(try world.instAdmin.post("/deletions/\(id)/confirm", [("token", first)]).status == 303)
        #expect(try world.value("SELECT status FROM deletion_requests WHERE id = $1", [id]) == "institution_approved")
        let second = try Self.token(world, type: "bulk_deletion_confirmation_partial")
        // The requester is the only active admin, so they may give the APTrust approval (DOM-132).
        #expect(try world.admin.get("/deletions/\(id)?token=\(second)").text.contains("Approve for APTrust"))
        #expect(try world.admin.post("/deletions/\(id)/confirm", [("token", second)]).status == 303)
        #expect(try world.value("SELECT status FROM deletion_requests WHERE id = $1", [id]) == "approved")
    }
}
