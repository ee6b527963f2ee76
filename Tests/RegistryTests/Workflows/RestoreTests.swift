import Foundation
import Testing
import TestSupport

/// Restore requests (api-v2.md #7, #17, API-110, W23; domain.md DOM-110, DOM-111, DOM-96b).
@Suite("Workflows: restore requests")
struct RestoreTests {
    /// The columns DOM-110 fixes, as text.
    private static let itemColumns = """
        SELECT name, coalesce(etag, '<null>'), to_char(bag_date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), bucket,
               "user", action, stage, status, note, outcome, retry::text, needs_admin_review::text,
               coalesce(object_identifier, '<null>'), coalesce(generic_file_identifier, '<null>'),
               coalesce(intellectual_object_id::text, '<null>'), coalesce(generic_file_id::text, '<null>'),
               coalesce(node, '<null>'), pid::text, coalesce(queued_at::text, '<null>'),
               coalesce(stage_started_at::text, '<null>'), size::text, institution_id::text
        FROM work_items WHERE id = $1::bigint
        """

    @Test("W23 / DOM-110: PUT objects/{obj}/restore, empty body with Content-Type → 200 and a Restore item copied from the last ingested version")
    func objectRestoreW23() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("bag1", files: 3)
        let response = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag1/restore", as: world.admin, body: [])
        #expect(response.status == 200)
        let json = try response.jsonObject()
        #expect(json["status"] as? String == "ok")
        #expect(json["message"] as? String == "Your object has been queued for restoration.")
        let itemID = try #require(json["work_item_id"] as? Int)
        let testEdu = try world.scalar("SELECT id FROM institutions WHERE identifier = 'test.edu'")
        let row = try world.rows(Self.itemColumns, [String(itemID)])[0]
        #expect(row == ["bag1.tar", "ingest-etag-bag1", "2024-04-30T10:00:00", "aptrust.receiving.test.edu",
                        "system@aptrust.org", "Restore", "Requested", "Pending", "Restore requested", "Not started",
                        "true", "false", "test.edu/bag1", "<null>", String(object.id), "<null>", "<null>", "0",
                        "<null>", "<null>", "6", testEdu])
        // The audit row of the request (DOM-82).
        let audit = try world.rows("""
            SELECT resource_type, resource_identifier, status::text, details->>'work_item_id', actor_email
            FROM audit_log WHERE action = 'restore.request'
            """)
        #expect(audit == [["intellectual_object", "test.edu/bag1", "200", String(itemID), "system@aptrust.org"]])

        // The new item is pending work (DOM-102): a second request is a 409 naming it, and changes nothing.
        let before = try world.snapshot()
        let again = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag1/restore", as: world.instAdmin)
        #expect(again.status == 409)
        #expect(again.message?.contains("Restore") == true)
        #expect(try world.snapshot() == before)
    }

    @Test("DOM-110: a Glacier object gets a Glacier Restore item; without a last ingested version the object supplies the fields")
    func glacierAndFallback() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("cold", files: 2, storageOption: "Glacier-Deep-OR", etag: "obj-etag", ingestItem: false)
        let response = try world.send("PUT", "/api/v2/objects/test.edu%2Fcold/restore/", as: world.instAdmin)
        #expect(response.status == 200)
        let itemID = try #require(try response.jsonObject()["work_item_id"] as? Int)
        let row = try world.rows("""
            SELECT action, name, etag, bucket, bag_date = (SELECT created_at FROM intellectual_objects WHERE identifier = 'test.edu/cold'),
                   "user", size::text
            FROM work_items WHERE id = $1::bigint
            """, [String(itemID)])[0]
        #expect(row == ["Glacier Restore", "cold.tar", "obj-etag", "aptrust.receiving.test.edu", "t", "admin@test.edu", "3"])

        // DOM-66a: an object without an etag gives a NULL etag, never "".
        try world.ingestedObject("noetag", files: 1, ingestItem: false)
        let second = try world.send("PUT", "/api/v2/objects/test.edu%2Fnoetag/restore", as: world.admin)
        let secondID = try #require(try second.jsonObject()["work_item_id"] as? Int)
        #expect(try world.scalar("SELECT etag IS NULL FROM work_items WHERE id = $1::bigint", [String(secondID)]) == "t")
    }

    @Test("DOM-110/DOM-12: a bag name too long for a work item name (over 1020 bytes) is a 409 naming the limit, not a 500")
    func bagNameTooLongForItem() throws {
        let world = try WorkflowWorld.start()
        // DOM-12: a bag name sent with the object is stored as sent, longer than the identifier allows.
        try world.ingestedObject("long", files: 1, ingestItem: false, bagName: String(repeating: "b", count: 1021))
        let before = try world.snapshot()
        for path in ["/api/v2/objects/test.edu%2Flong/restore", "/api/v2/files/restore/test.edu%2Flong%2Fdata%2Ffile001.txt"] {
            let response = try world.send("PUT", path, as: world.admin)
            #expect(response.status == 409, "\(path)")
            #expect(response.message == "cannot queue the Restore work item: its name copied from the object would not be "
                    + "1 to 1024 bytes long")
        }
        #expect(try world.snapshot() == before)
        // 1020 bytes + ".tar" is exactly the limit.
        try world.ingestedObject("fits", files: 1, ingestItem: false, bagName: String(repeating: "b", count: 1020))
        #expect(try world.send("PUT", "/api/v2/objects/test.edu%2Ffits/restore", as: world.admin).status == 200)
    }

    @Test("DOM-111: file restore copies the object's source, names the file, sizes by the file; 409 for D, a pending Delete of the file, or object-level pending work")
    func fileRestore() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("bag2", files: 3)
        let path = "/api/v2/files/restore/\(WorkflowWorld.encode(object.files[1]))"
        let response = try world.send("PUT", path, as: world.admin, body: [])
        #expect(response.status == 200)
        #expect(response.message == "Your file has been queued for restoration.")
        let itemID = try #require(try response.jsonObject()["work_item_id"] as? Int)
        let row = try world.rows("""
            SELECT action, name, generic_file_identifier, generic_file_id = (SELECT id FROM generic_files WHERE identifier = $2),
                   size::text, object_identifier
            FROM work_items WHERE id = $1::bigint
            """, [String(itemID), object.files[1]])[0]
        #expect(row == ["Restore", "bag2.tar", object.files[1], "t", "2", "test.edu/bag2"])

        // The pending Restore now blocks another file of the same object (object-level pending work).
        let other = try world.send("PUT", "/api/v2/files/restore/\(WorkflowWorld.encode(object.files[0]))", as: world.admin)
        #expect(other.status == 409)
        #expect(other.message?.contains("Restore") == true)
        try world.rows("UPDATE work_items SET status = 'Success' WHERE id = $1::bigint", [String(itemID)])

        // A pending Delete blocks only its own file.
        try world.rows("""
            INSERT INTO work_items (name, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status,
                                    object_identifier, generic_file_identifier)
            SELECT 'bag2.tar', now(), 'b', 'x@test.edu', institution_id, 'Delete requested', 'Not started', 'Delete',
                   'Requested', 'Pending', intellectual_object_identifier, identifier
            FROM generic_files WHERE identifier = $1
            """, [object.files[2]])
        let blocked = try world.send("PUT", "/api/v2/files/restore/\(WorkflowWorld.encode(object.files[2]))", as: world.admin)
        #expect(blocked.status == 409)
        #expect(blocked.message?.contains("Delete") == true)
        #expect(try world.send("PUT", "/api/v2/files/restore/\(WorkflowWorld.encode(object.files[0]))", as: world.admin).status == 200)

        // A deleted file.
        try world.rows("UPDATE generic_files SET state = 'D' WHERE identifier = $1", [object.files[1]])
        try world.rows("UPDATE work_items SET status = 'Success' WHERE action = 'Restore'")
        let deleted = try world.send("PUT", "/api/v2/files/restore/\(WorkflowWorld.encode(object.files[1]))", as: world.admin)
        #expect(deleted.status == 409)
        #expect(deleted.message?.contains("deleted") == true)
    }

    @Test("DOM-102: a re-ingest in progress (multipart tar name) and a deleted object are 409s that change nothing")
    func pendingIngestByName() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("multi", files: 1)
        try world.rows("""
            INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status)
            SELECT 'multi.b001.of002.tar', 'e', now(), 'b', 'system@aptrust.org', id, 'n', 'o', 'Ingest', 'Receive', 'Pending'
            FROM institutions WHERE identifier = 'test.edu'
            """)
        let before = try world.snapshot()
        let response = try world.send("PUT", "/api/v2/objects/test.edu%2Fmulti/restore", as: world.admin)
        #expect(response.status == 409)
        #expect(response.message?.contains("Ingest") == true)
        #expect(try world.snapshot() == before)

        // A name that only starts like a multipart name is not a re-ingest of this bag.
        try world.ingestedObject("multi2", files: 1)
        try world.rows("""
            INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, note, outcome, action, stage, status)
            SELECT 'multi2.bonus.tar', 'e', now(), 'b', 'system@aptrust.org', id, 'n', 'o', 'Ingest', 'Receive', 'Pending'
            FROM institutions WHERE identifier = 'test.edu'
            """)
        #expect(try world.send("PUT", "/api/v2/objects/test.edu%2Fmulti2/restore", as: world.admin).status == 200)
    }

    @Test("API-81: the member API takes GET (with Deprecation: true) and PUT; /api/v2 GET is a 405")
    func memberRestore() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("m1", files: 1)
        try world.ingestedObject("m2", files: 1)
        let get = try world.send("GET", "/member-api/v2/objects/test.edu%2Fm1/restore", as: world.instAdmin)
        #expect(get.status == 200)
        #expect(get.headers.values("Deprecation") == ["true"])
        let put = try world.send("PUT", "/member-api/v2/objects/test.edu%2Fm2/restore", as: world.instAdmin)
        #expect(put.status == 200)
        #expect(put.headers.values("Deprecation").isEmpty)
        let file = try world.send("GET", "/member-api/v2/files/restore/\(WorkflowWorld.encode(object.files[0]))",
                                  as: world.admin)
        #expect(file.status == 409)  // the object restore of m1 is pending
        let apiGet = try world.send("GET", "/api/v2/objects/test.edu%2Fm2/restore", as: world.admin)
        #expect(apiGet.status == 405)
        #expect(apiGet.headers.values("Allow") == ["PUT"])
    }

    @Test("DOM-96b: own D consortia object — inst user with malformed JSON 403, inst admin 400, empty body 409; another institution's D object 404")
    func orderOfChecks() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("gone", files: 1, access: "consortia")
        try world.ingestedObject("hidden", files: 1, institution: "other.edu")
        try world.ingestedObject("shared", files: 1, institution: "other.edu", access: "consortia")
        try world.rows("UPDATE intellectual_objects SET state = 'D' WHERE identifier IN ('test.edu/gone', 'other.edu/hidden')")
        let before = try world.snapshot()
        let malformed = Array(#"{"oops":"#.utf8)
        let path = "/api/v2/objects/test.edu%2Fgone/restore"
        let user = try world.send("PUT", path, as: world.instUser, body: malformed)
        #expect(user.status == 403)
        #expect(user.message == "you are not authorized to do this")
        let admin = try world.send("PUT", path, as: world.instAdmin, body: malformed)
        #expect(admin.status == 400)
        #expect(admin.message?.hasPrefix("malformed JSON") == true)
        let empty = try world.send("PUT", path, as: world.instAdmin)
        #expect(empty.status == 409)
        #expect(empty.message?.contains("deleted") == true)
        let other = try world.send("PUT", "/api/v2/objects/other.edu%2Fhidden/restore", as: world.instAdmin, body: malformed)
        let unknown = try world.send("PUT", "/api/v2/objects/other.edu%2Fnothing/restore", as: world.instAdmin)
        #expect(other.status == 404 && unknown.status == 404)
        #expect(other.message == "object not found: other.edu/hidden")
        // A consortia object of another institution is visible, but restoring it is not permitted.
        #expect(try world.send("PUT", "/api/v2/objects/other.edu%2Fshared/restore", as: world.instAdmin).status == 403)
        #expect(try world.snapshot() == before)
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action <> 'Ingest'") == 0)
    }
}
