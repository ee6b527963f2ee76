import Foundation
import Testing
import TestSupport

/// `PUT`/`PATCH /api/v2/objects/{obj}` (route #6, API-93, DOM-60, DOM-61).
@Suite("objects: update")
struct ObjectUpdateTests {
    @Test("API-93: PUT and PATCH change only the fields sent; audit row lists the changes")
    func partialUpdate() throws {
        let world = try ObjectWorld()
        let created = try world.createObject("test.edu/bag", title: "Old", extra: ["description": "desc", "etag": "e1"])
        let put = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin,
                                 json: ["intellectual_object": ["title": "New", "etag": "e2", "identifier": "test.edu/bag",
                                                                "institution_id": world.testEduID, "file_count": 7]])
        #expect(put.status == 200)
        let updated = try put.jsonObject()
        #expect(updated["title"] as? String == "New")
        #expect(updated["etag"] as? String == "e2")
        #expect(updated["description"] as? String == "desc")  // absent: unchanged
        #expect(updated["id"] as? Int == created["id"] as? Int)
        #expect(updated["file_count"] as? Int == 0)
        #expect((updated["updated_at"] as? String ?? "") >= (created["updated_at"] as? String ?? "~"))

        let patch = try world.send("PATCH", "/api/v2/objects/test.edu%2Fbag/", as: world.admin,
                                   json: ["description": "", "alt_identifier": "alt"])
        #expect(patch.status == 200)
        #expect(try patch.jsonObject()["description"] is NSNull)  // DOM-4: "" clears
        #expect(try patch.jsonObject()["alt_identifier"] as? String == "alt")
        #expect(try patch.jsonObject()["title"] as? String == "New")

        let audits = try world.auditRows("object.update")
        #expect(audits.count == 2)
        #expect(audits.first?[1] == "200")
        #expect(audits.first?[2] == #"{"changes": {"etag": ["e1", "e2"], "title": ["Old", "New"]}}"#)
        #expect(audits.last?[2] == #"{"changes": {"description": ["desc", null], "alt_identifier": [null, "alt"]}}"#)
        // By numeric id too.
        let id = try #require(created["id"] as? Int)
        #expect(try world.send("PATCH", "/api/v2/objects/\(id)", as: world.admin, json: ["title": "By id"]).status == 200)
    }

    @Test("API-93: identifier, bag_name and institution_id only unchanged; state D refused; errors at once")
    func immutableFields() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag")
        let response = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin, json: [
            "identifier": "test.edu/other", "bag_name": "other", "institution_id": world.otherEduID, "state": "D",
            "title": "", "access": "secret", "premis_events_attributes": [["identifier": "x"]],
        ])
        #expect(response.status == 422)
        let errors = response.fieldErrors
        #expect(errors["identifier"] == ["cannot be changed"])
        #expect(errors["bag_name"] == ["cannot be changed"])
        #expect(errors["institution_id"] == ["cannot be changed"])
        #expect(errors["state"] == ["use the deletion workflow"])
        #expect(errors["title"] == ["can't be blank"])
        #expect(errors["access"] == ["is not included in the list"])
        #expect(errors["premis_events_attributes"]?.isEmpty == false)
        #expect(try world.auditRows("object.update").isEmpty)
        let unchanged = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin, json: [
            "identifier": "test.edu/bag", "bag_name": "bag", "institution_id": world.testEduID, "state": "A",
        ])
        #expect(unchanged.status == 200)
        // An empty identifier or bag name is a change too (DOM-4); null is ignored.
        let emptied = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin,
                                     json: ["identifier": "", "bag_name": ""])
        #expect(emptied.status == 422)
        #expect(emptied.fieldErrors["identifier"] == ["cannot be changed"])
        #expect(emptied.fieldErrors["bag_name"] == ["cannot be changed"])
        #expect(try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin,
                               json: ["identifier": NSNull(), "bag_name": NSNull()]).status == 200)
        #expect(try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin, json: ["state": "X"])
                    .fieldErrors["state"] == ["is not included in the list"])
    }

    @Test("DOM-60: storage_option is locked while active, may change when a D object is revived")
    func storageOptionAndRevival() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag")
        let locked = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin,
                                    json: ["storage_option": "Glacier-OR"])
        #expect(locked.status == 422)
        #expect(locked.fieldErrors["storage_option"] == ["cannot be changed while the object is active"])
        #expect(try world.sql().scalar("SELECT storage_option FROM intellectual_objects") == "Standard")
        // The same value is not a change.
        #expect(try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin,
                               json: ["storage_option": "Standard"]).status == 200)

        try world.setColumns("test.edu/bag", "state = 'D'")
        // [Compat] re-ingest after deletion: state A revives, storage_option may change with it.
        let revived = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.admin,
                                     json: ["state": "A", "storage_option": "Glacier-OR", "title": "Again"])
        #expect(revived.status == 200)
        #expect(try revived.jsonObject()["state"] as? String == "A")
        #expect(try revived.jsonObject()["storage_option"] as? String == "Glacier-OR")
        let audit = try world.auditRows("object.update").last?[2] ?? ""
        #expect(audit == #"{"changes": {"state": ["D", "A"], "title": ["A title", "Again"], "storage_option": ["Standard", "Glacier-OR"]}}"#)
        // A D object that stays D keeps its state on other updates.
        try world.setColumns("test.edu/bag", "state = 'D'")
        let stays = try world.send("PATCH", "/api/v2/objects/test.edu%2Fbag", as: world.admin, json: ["title": "Gone"])
        #expect(try stays.jsonObject()["state"] as? String == "D")
    }

    @Test("DOM-96b: 404 for missing or invisible, 403 for visible non-admin, then the body")
    func orderOfChecks() throws {
        let world = try ObjectWorld()
        try world.createObject("test.edu/bag", access: "consortia")
        try world.createObject("other.edu/private", access: "institution")
        let missing = try world.send("PUT", "/api/v2/objects/test.edu%2Fnone", as: world.admin, json: ["title": "t"])
        #expect(missing.status == 404)
        #expect(missing.message == "object not found: test.edu/none")
        let invisible = try world.send("PUT", "/api/v2/objects/other.edu%2Fprivate", as: world.instAdmin,
                                       json: ["title": "t"])
        #expect(invisible.status == 404)
        let forbidden = try world.client().request(method: "PATCH", path: "/api/v2/objects/test.edu%2Fbag",
                                                   headers: world.instAdmin.headers, body: "not json")
        #expect(forbidden.status == 403)
        let foreignConsortia = try world.send("PUT", "/api/v2/objects/test.edu%2Fbag", as: world.otherAdmin,
                                              json: ["title": "t"])
        #expect(foreignConsortia.status == 403)
        let empty = try world.client().request(method: "PUT", path: "/api/v2/objects/test.edu%2Fbag",
                                               headers: world.admin.headers)
        #expect(empty.status == 400)
        #expect(empty.message == "request body is required")
        let member = try world.send("PUT", "/member-api/v2/objects/test.edu%2Fbag", as: world.admin, json: ["title": "t"])
        #expect(member.status == 405)
        let delete = try world.send("DELETE", "/api/v2/objects/test.edu%2Fbag", as: world.admin)
        #expect(delete.status == 204)  // #8: DELETE /objects/{obj} requests deletion; the object stays as it is
        #expect(try world.sql().scalar("SELECT title FROM intellectual_objects WHERE identifier = 'test.edu/bag'") == "A title")
    }
}
