import Foundation
import Testing
import TestSupport

/// Single deletion requests (api-v2.md #8, #18, API-115; domain.md DOM-120, DOM-120a, DOM-96b).
@Suite("Workflows: deletion requests")
struct DeletionRequestTests {
    @Test("DOM-120a: an object with 3 active files and 1 deleted file → object_count 1, file_count 3; DELETE /objects/{obj} works too")
    func countsAndListedIdentifiers() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("four", files: 4)
        try world.rows("UPDATE generic_files SET state = 'D' WHERE identifier = $1", [object.files[3]])
        let response = try world.send("DELETE", "/api/v2/objects/test.edu%2Ffour", as: world.admin)
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
        let id = try #require(WorkflowWorld.requestID(response))
        let show = try world.send("GET", "/api/v2/deletions/\(id)", as: world.instAdmin).jsonObject()
        #expect(show["kind"] as? String == "object" && show["status"] as? String == "requested")
        #expect(show["object_count"] as? Int == 1 && show["file_count"] as? Int == 3)
        #expect(show["object_identifiers"] as? [String] == ["test.edu/four"])
        #expect(show["file_identifiers"] as? [String] == Array(object.files.prefix(3)))
        #expect(show["work_item_ids"] as? [Int] == [])
        #expect(show["requested_by"] as? String == "system@aptrust.org")
        #expect(show["institution"] as? String == "test.edu")
        // The token is never returned by the API (API-115).
        #expect(show["token"] == nil && show["token_hash"] == nil)
        // An admin requester is not an inst admin: every active inst admin is addressed.
        #expect(try world.scalar("SELECT recipients::text FROM notifications") == "{admin2@test.edu,admin@test.edu}")
        let audit = try world.rows("""
            SELECT resource_type, resource_id::text, resource_identifier, status::text, details->>'kind',
                   details->>'object_count', details->>'file_count'
            FROM audit_log WHERE action = 'deletion.request'
            """)
        #expect(audit == [["deletion_request", String(id), "test.edu/four", "204", "object", "1", "3"]])
    }

    @Test("DOM-120a / #18: a file request covers one file; the sole inst admin requesting is its own recipient")
    func fileRequest() throws {
        let world = try WorkflowWorld.start(secondInstAdmin: false)
        let object = try world.ingestedObject("bag", files: 2)
        let response = try world.send("DELETE", "/api/v2/files/\(WorkflowWorld.encode(object.files[1]))/", as: world.instAdmin)
        #expect(response.status == 204)
        let id = try #require(WorkflowWorld.requestID(response))
        let show = try world.send("GET", "/api/v2/deletions/\(id)", as: world.admin).jsonObject()
        #expect(show["kind"] as? String == "file")
        #expect(show["object_count"] as? Int == 0 && show["file_count"] as? Int == 1)
        #expect(show["object_identifiers"] as? [String] == [])
        #expect(show["file_identifiers"] as? [String] == [object.files[1]])
        #expect(try world.scalar("SELECT recipients::text FROM notifications") == "{admin@test.edu}")
    }

    @Test("DOM-120: 409 for a D target, pending work, an open request (object, its file, or the file's object), no active inst admin — each changes nothing")
    func refusals() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("a", files: 2)
        try world.ingestedObject("gone", files: 1)
        try world.ingestedObject("busy", files: 1)
        try world.rows("UPDATE intellectual_objects SET state = 'D' WHERE identifier = 'test.edu/gone'")
        try world.rows("""
            INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status,
                                    object_identifier)
            SELECT 'busy.tar', 'e', now(), 'b', 'system@aptrust.org', id, 'n', 'o', 'Restore', 'Requested', 'Started', 'test.edu/busy'
            FROM institutions WHERE identifier = 'test.edu'
            """)
        #expect(try world.requestObjectDeletion("test.edu/a", as: world.instAdmin) != nil)

        let before = try world.snapshot()
        let cases: [(String, String, String)] = [
            ("/api/v2/objects/test.edu%2Fgone/delete", "deleted", "D object"),
            ("/api/v2/objects/test.edu%2Fbusy/delete", "Restore", "pending work"),
            ("/api/v2/objects/test.edu%2Fa/delete", "already open", "open request for the object"),
            ("/api/v2/files/\(WorkflowWorld.encode(object.files[0]))", "already open", "open request for the file's object"),
        ]
        for (path, fragment, label) in cases {
            let response = try world.send("DELETE", path, as: world.admin)
            #expect(response.status == 409, "\(label)")
            #expect(response.message?.contains(fragment) == true, "\(label): \(response.message ?? "")")
        }
        #expect(try world.snapshot() == before)

        // A file request blocks a request for its object.
        let b = try world.ingestedObject("b", files: 2)
        #expect(try world.send("DELETE", "/api/v2/files/\(WorkflowWorld.encode(b.files[0]))", as: world.admin).status == 204)
        #expect(try world.send("DELETE", "/api/v2/objects/test.edu%2Fb", as: world.admin).status == 409)
        // An expired request no longer blocks (it is not open).
        try world.rows("UPDATE deletion_requests SET token_expires_at = now() - interval '1 second'")
        #expect(try world.send("DELETE", "/api/v2/objects/test.edu%2Fb", as: world.admin).status == 204)

        // No active inst admin at other.edu.
        try world.ingestedObject("x", files: 1, institution: "other.edu")
        try world.rows("UPDATE users SET deactivated_at = now() WHERE email = 'admin@other.edu'")
        let none = try world.send("DELETE", "/api/v2/objects/other.edu%2Fx/delete", as: world.admin)
        #expect(none.status == 409)
        #expect(none.message?.contains("no active institutional admin") == true)
    }

    @Test("DOM-96b / §7.2: inst user 403, another institution's institution-level object 404, its consortia object 403 — nothing written")
    func permissions() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("mine", files: 1, access: "consortia")
        try world.ingestedObject("theirs", files: 1, institution: "other.edu")
        try world.ingestedObject("shared", files: 1, institution: "other.edu", access: "consortia")
        let before = try world.snapshot()
        let user = try world.send("DELETE", "/api/v2/objects/test.edu%2Fmine/delete", as: world.instUser, body: Array("{".utf8))
        #expect(user.status == 403)
        let hidden = try world.send("DELETE", "/api/v2/objects/other.edu%2Ftheirs/delete", as: world.instAdmin)
        let unknown = try world.send("DELETE", "/api/v2/objects/other.edu%2Fnope/delete", as: world.instAdmin)
        #expect(hidden.status == 404 && unknown.status == 404)
        #expect(hidden.message == "object not found: other.edu/theirs")
        #expect(try world.send("DELETE", "/api/v2/objects/other.edu%2Fshared/delete", as: world.instAdmin).status == 403)
        let badBody = try world.send("DELETE", "/api/v2/objects/test.edu%2Fmine/delete", as: world.instAdmin,
                                     body: Array("[1]".utf8))
        #expect(badBody.status == 400)
        let badType = try world.send("DELETE", "/api/v2/objects/test.edu%2Fmine/delete", as: world.instAdmin,
                                     body: Array("{}".utf8), headers: [("Content-Type", "text/plain")])
        #expect(badType.status == 415)
        #expect(try world.snapshot() == before)
    }

    @Test("API-82: literal segments win — a file literally named `delete` is still a file; GET on confirm paths is a 405")
    func literalSegments() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 1)
        // `/objects/{obj}/delete` is only DELETE: other methods are 405 with the route's Allow.
        let get = try world.send("GET", "/api/v2/objects/test.edu%2Fbag/confirm_delete?confirmation_token=x", as: world.admin)
        #expect(get.status == 405)
        #expect(get.headers.values("Allow") == ["DELETE"])
        let put = try world.send("PUT", "/api/v2/files/finish_delete/test.edu%2Fbag%2Fdata%2Ffile001.txt", as: world.admin)
        #expect(put.status == 405)
        #expect(put.headers.values("Allow") == ["GET, HEAD, POST"])
        // An object identifier makes the path `/files/{obj}` (API-5), whose routes (#12, #14) have
        // no DELETE: 405 with their methods (API-7).
        let notFile = try world.send("DELETE", "/api/v2/files/test.edu%2Fbag", as: world.admin)
        #expect(notFile.status == 405)
        #expect(notFile.headers.values("Allow") == ["GET, HEAD, POST"])
    }
}
