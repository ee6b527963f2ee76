import Foundation
import Testing
import TestSupport

/// Confirming single deletions (api-v2.md #9, #19, #40, API-116; domain.md DOM-121, DOM-122,
/// DOM-96b) and cancelling (#41, DOM-127). Every refusal must change nothing.
@Suite("Workflows: deletion confirmation and cancel")
struct DeletionConfirmTests {
    private func confirmPath(_ token: String) -> String {
        "/api/v2/objects/test.edu%2Fbag/confirm_delete?confirmation_token=\(token)"
    }

    @Test("DOM-121: the requester may not confirm while another inst admin exists; admins never; other institutions see 404")
    func whoMayConfirm() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 2)
        let id = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        let before = try world.snapshot()
        for caller in [world.instAdmin, world.admin, world.admin2, world.instUser] {
            let response = try world.send("DELETE", confirmPath(token), as: caller)
            #expect(response.status == 403, "\(caller.email)")
        }
        let byID = try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.admin, json: ["token": token])
        #expect(byID.status == 403)
        // The other institution's inst admin cannot see the object (institution level) nor the request.
        #expect(try world.send("DELETE", confirmPath(token), as: world.otherAdmin).status == 404)
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.otherAdmin,
                               json: ["token": token]).status == 404)
        // [Fix] requesting_user_id is accepted and ignored: it cannot make the requester "someone else".
        let spoof = try world.send("DELETE", confirmPath(token) + "&requesting_user_id=\(world.instAdmin2.userID)",
                                   as: world.instAdmin)
        #expect(spoof.status == 403)
        #expect(try world.snapshot() == before)
    }

    @Test("DOM-96b: a wrong token by the requester (not sole) is 403, by another inst admin 409; expired and missing tokens 409")
    func tokenChecks() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 2)
        let id = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        let wrong = String(repeating: "0", count: 64)
        let before = try world.snapshot()
        #expect(try world.send("DELETE", confirmPath(wrong), as: world.instAdmin).status == 403)
        let mismatch = try world.send("DELETE", confirmPath(wrong), as: world.instAdmin2)
        #expect(mismatch.status == 409)
        #expect(try world.send("DELETE", "/api/v2/objects/test.edu%2Fbag/confirm_delete", as: world.instAdmin2).status == 409)
        #expect(try world.send("DELETE", confirmPath("not-hex"), as: world.instAdmin2).status == 409)
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin2,
                               json: ["token": wrong]).status == 409)
        #expect(try world.snapshot() == before)

        // Expired: the right token no longer works, and the list shows the request as `expired`.
        try world.rows("UPDATE deletion_requests SET token_expires_at = now() - interval '1 second'")
        let expiredBefore = try world.snapshot()
        let expired = try world.send("DELETE", confirmPath(token), as: world.instAdmin2)
        #expect(expired.status == 409)
        #expect(expired.message?.contains("expired") == true)
        #expect(try world.snapshot() == expiredBefore)
        #expect(try world.send("GET", "/api/v2/deletions/\(id)", as: world.instAdmin).jsonObject()["status"] as? String == "expired")
    }

    @Test("API-116: a confirm path answers for the newest request covering the object, not an older finished one")
    func newestCoveringRequest() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 2)
        // An earlier request that was carried out, the object since revived (re-ingest)...
        let first = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        try world.rows("UPDATE deletion_requests SET status = 'completed', completed_at = now() WHERE id = \(first)")
        // ...and a newer one whose token has expired.
        let second = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        let token = try world.token(request: second, type: "deletion_request")
        try world.rows("UPDATE deletion_requests SET token_expires_at = now() - interval '1 second' WHERE id = \(second)")
        // The expired request answers (409), not the completed one ("already confirmed", 200).
        #expect(try world.send("DELETE", confirmPath(token), as: world.instAdmin2).status == 409)
    }

    @Test("DOM-121: the sole inst admin may confirm their own request; a used token then answers API-116's 200 on #9 and 409 on #40")
    func soleRequesterAndUsedToken() throws {
        let world = try WorkflowWorld.start(secondInstAdmin: false)
        try world.ingestedObject("bag", files: 2)
        let id = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        #expect(try world.send("DELETE", confirmPath(token), as: world.instAdmin).status == 204)
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action = 'Delete'") == 2)
        let before = try world.snapshot().enumerated().filter { $0.offset != 3 }.map(\.element)
        let again = try world.send("DELETE", confirmPath(token), as: world.instAdmin)
        #expect(again.status == 200)
        #expect(try again.jsonObject()["status"] as? String == "ok")
        #expect(again.message == "This deletion request has already been confirmed.")
        let byID = try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin, json: ["token": token])
        #expect(byID.status == 409)
        // Nothing changed but the "already confirmed" audit row.
        #expect(try world.snapshot().enumerated().filter { $0.offset != 3 }.map(\.element) == before)
        #expect(try world.count("SELECT count(*) FROM audit_log WHERE action = 'deletion.confirm'") == 2)
    }

    @Test("#40: POST /deletions/{id}/confirm with {\"token\"} confirms a file request; an empty body is 400, a blank or missing token 409")
    func confirmByID() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("bag", files: 2)
        let requested = try world.send("DELETE", "/api/v2/files/\(WorkflowWorld.encode(object.files[0]))", as: world.admin)
        let id = try #require(WorkflowWorld.requestID(requested))
        let token = try world.token(request: id, type: "deletion_request")
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin).status == 400)
        // A missing or blank token is a bad token (409, API-116); a token that is no string a field error.
        for body: [String: Any] in [["token": ""], [:], ["token": NSNull()]] {
            let blank = try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin, json: body)
            #expect(blank.status == 409)
            #expect(blank.message == "the confirmation token of deletion request \(id) is not valid")
        }
        let number = try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin, json: ["token": 5])
        #expect(number.status == 422)
        #expect(try number.fieldErrors("token") == ["must be a string"])
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/confirm/", as: world.instAdmin,
                               json: ["token": token]).status == 204)
        let item = try world.rows("""
            SELECT generic_file_identifier, inst_approver, "user", size::text FROM work_items WHERE action = 'Delete'
            """)
        #expect(item == [[object.files[0], "admin@test.edu", "system@aptrust.org", "1"]])
        // #19, the [Compat] file path, now answers "already confirmed".
        let compat = try world.send("DELETE", "/api/v2/files/confirm_delete/\(WorkflowWorld.encode(object.files[0]))?confirmation_token=\(token)",
                                    as: world.instAdmin2)
        #expect(compat.status == 200)
    }

    @Test("DOM-122 / DOM-125: confirming an object request whose object has no active file finishes it at once")
    func emptyObjectFinishesOnConfirm() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("empty", files: 0)
        let id = try #require(try world.requestObjectDeletion("test.edu/empty", as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        let confirmed = try world.send("DELETE", "/api/v2/objects/test.edu%2Fempty/confirm_delete?confirmation_token=\(token)",
                                       as: world.instAdmin2)
        #expect(confirmed.status == 204)
        #expect(try world.scalar("SELECT state FROM intellectual_objects") == "D")
        #expect(try world.scalar("SELECT status FROM deletion_requests") == "completed")
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action = 'Delete'") == 0)
        #expect(try world.rows("SELECT outcome_detail, outcome_information FROM premis_events WHERE event_type = 'deletion'")
                == [["admin@test.edu", "Object deleted at the request of admin@test.edu. Institutional approver: admin2@test.edu."]])
        #expect(try world.rows("SELECT notification_type FROM notifications ORDER BY id").map { $0[0] ?? "" }
                == ["deletion_request", "deletion_confirmation", "deletion_finished"])
    }

    @Test("DOM-127: cancel in requested (also expired) → cancelled with the request; again 409; inst user 403; other institution 404")
    func cancel() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 1)
        let id = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        let before = try world.snapshot()
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/cancel", as: world.instUser).status == 403)
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/cancel", as: world.otherAdmin).status == 404)
        #expect(try world.send("POST", "/api/v2/deletions/99999/cancel", as: world.admin).status == 404)
        #expect(try world.snapshot() == before)
        try world.rows("UPDATE deletion_requests SET token_expires_at = now() - interval '1 second'")
        let cancelled = try world.send("POST", "/api/v2/deletions/\(id)/cancel/", as: world.instAdmin2)
        #expect(cancelled.status == 200)
        let json = try cancelled.jsonObject()
        #expect(json["status"] as? String == "cancelled")
        #expect(json["cancelled_by"] as? String == "admin2@test.edu")
        #expect(json["cancelled_at"] is String)
        #expect(try world.scalar("SELECT token_hash IS NULL FROM deletion_requests") == "t")
        let after = try world.snapshot()
        #expect(try world.send("POST", "/api/v2/deletions/\(id)/cancel", as: world.admin).status == 409)
        #expect(try world.send("DELETE", confirmPath(token), as: world.instAdmin2).status == 409)
        #expect(try world.snapshot() == after)
        // A cancelled request no longer blocks a new one.
        #expect(try world.requestObjectDeletion("test.edu/bag", as: world.admin) != nil)
    }
}
