import Foundation
import Testing
import TestSupport

/// The work item triggers: `successful_restoration` (#48, API-131), `spot_test_restoration/{id}`
/// (#49, API-132, W24) and `deletion` (#50, API-133).
@Suite("Notification triggers: restorations, spot test, deletions")
struct WorkItemTriggerTests {
    @Test("API-131: Restore items at Resolve or Record / Success since `since`, one multiple_restoration per institution")
    func successfulRestorations() throws {
        // OPS_EMAIL is for multiple_fixity only (DOM-141a).
        let world = try AlertWorld.start(environment: ["OPS_EMAIL": "ops@aptrust.org"])
        func item(_ action: String = "Restore", stage: String = "Resolve", status: String = "Success", ago: Double = 60,
                  institution: String = "test.edu", name: String = "bag.tar", object: String? = nil,
                  file: String? = nil) throws -> Int {
            Int(try world.registry.makeWorkItem(TestRegistry.TestWorkItem(
                institution: institution, name: name, action: action, stage: stage, status: status, objectIdentifier: object,
                fileIdentifier: file, updatedSecondsAgo: ago)))
        }
        let fileRestore = try item(object: "test.edu/bag1", file: "test.edu/bag1/data/a b.txt")
        let objectRestore = try item(stage: "Record", object: "test.edu/bag2")
        let bagOnly = try item(name: "bag3.tar")
        let other = try item(institution: "other.edu", object: "other.edu/bag9")
        _ = try item("Glacier Restore")
        _ = try item(stage: "Package")
        _ = try item(status: "Failed")
        _ = try item("Ingest", stage: "Cleanup")
        let yesterday = try item(ago: 25 * 3600, object: "test.edu/old")

        let response = try world.send("GET", "/api/v2/notifications/successful_restoration/")
        #expect(response.status == 200, "\(response.text)")
        #expect(response.headers.values("Deprecation") == ["true"])
        #expect(try response.jsonObject()["notifications"] as? Int == 2)
        let rows = try world.notifications()
        let testEdu = try #require(rows.first { $0.institution == "test.edu" })
        #expect(testEdu.type == "multiple_restoration")
        #expect(testEdu.recipients == ["admin@test.edu"])
        #expect(testEdu.subject == "Restorations completed for test.edu: 3")
        let base = world.hostBase
        #expect(testEdu.body == """
            Restorations completed for test.edu: 3
            Each line below names a restored file, object or bag and links to its work item.

            test.edu/bag1/data/a b.txt \(base)/items/\(fileRestore)
            test.edu/bag2 \(base)/items/\(objectRestore)
            bag3.tar \(base)/items/\(bagOnly)
            """)
        #expect(try world.linkedItems(testEdu.id) == [fileRestore, objectRestore, bagOnly])
        let otherEdu = try #require(rows.first { $0.institution == "other.edu" })
        #expect(otherEdu.recipients == ["admin@other.edu"])
        #expect(try world.linkedItems(otherEdu.id) == [other])

        // DOM-140: nothing twice; a wider `since` picks up only the older item.
        #expect(try world.send("POST", "/api/v2/notifications/successful_restoration").status == 204)
        let wider = try world.send("POST", "/api/v2/notifications/successful_restoration?since=\(isoTimestamp(secondsAgo: 2 * 86400))")
        #expect(wider.status == 200)
        #expect(try world.linkedItems(try #require(try world.notifications().last).id) == [yesterday])
    }

    @Test("W24, API-132: spot_test_restoration/{id} → 200 with the work item, one notification per item; 409 unless Restore/Success")
    func spotTest() throws {
        let world = try AlertWorld.start()
        let restored = Int(try world.registry.makeWorkItem(TestRegistry.TestWorkItem(
            name: "bag7.tar", action: "Restore", stage: "Resolve", status: "Success", objectIdentifier: "test.edu/bag7")))
        let path = "/api/v2/notifications/spot_test_restoration/\(restored)/"
        let first = try world.send("GET", path)
        #expect(first.status == 200, "\(first.text)")
        #expect(first.headers.values("Deprecation").isEmpty)  // API-81: not on #49
        let item = try first.jsonObject()
        #expect(item["id"] as? Int == restored)
        #expect(item["action"] as? String == "Restore")
        #expect(item.keys.contains("node") && item.keys.contains("work_item_state_id"))
        let rows = try world.notifications()
        #expect(rows.count == 1)
        let row = try #require(rows.first)
        #expect(row.type == "restoration_spot_test")
        #expect(row.recipients == ["admin@test.edu"])
        #expect(row.subject == "Restoration spot test for test.edu: work item \(restored)")
        #expect(row.body == """
            Restoration spot test for test.edu: work item \(restored)
            The restoration below completed as a spot test; please check the restored copy.

            test.edu/bag7 \(world.hostBase)/items/\(restored)
            """)
        #expect(try world.linkedItems(row.id) == [restored])

        // A repeat (GET or POST) answers the item again and creates nothing.
        let counts = try world.outboxCounts()
        let again = try world.send("POST", path)
        #expect(again.status == 200)
        #expect(try again.jsonObject()["id"] as? Int == restored)
        #expect(try world.outboxCounts() == counts)

        // Only a Restore at Success qualifies.
        let ingest = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Ingest", stage: "Cleanup", status: "Success"))
        let running = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Restore", stage: "Package", status: "Started"))
        for id in [ingest, running] {
            let refused = try world.send("GET", "/api/v2/notifications/spot_test_restoration/\(id)")
            #expect(refused.status == 409)
            #expect(refused.message == "work item \(id) is not a successful Restore")
        }
        #expect(try world.outboxCounts() == counts)
    }

    @Test("W24 + DOM-96a/b: unknown or invisible item 404, own item for a non-admin 403")
    func spotTestVisibility() throws {
        let world = try AlertWorld.start()
        let restored = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Restore", stage: "Resolve", status: "Success"))
        let missing = try world.send("GET", "/api/v2/notifications/spot_test_restoration/987654")
        #expect(missing.status == 404)
        #expect(missing.message == "work item not found: 987654")
        #expect(try world.send("GET", "/api/v2/notifications/spot_test_restoration/abc").status == 404)
        let path = "/api/v2/notifications/spot_test_restoration/\(restored)"
        #expect(try world.send("GET", path, as: world.instAdmin).status == 403)
        #expect(try world.send("POST", path, as: world.instUser).status == 403)
        let hidden = try world.send("GET", path, as: world.otherAdmin)
        #expect(hidden.status == 404)
        #expect(hidden.message == "work item not found: \(restored)")
        #expect(try world.count("notifications") == 0)
    }

    @Test("API-133: Delete items at Resolve/Success → deletion_notifications with deletions.csv, exact bytes; attachment route")
    func deletions() throws {
        let world = try AlertWorld.start()
        func delete(_ file: String, stage: String = "Resolve", status: String = "Success", institution: String = "test.edu",
                    aptrust: String? = nil) throws -> Int {
            Int(try world.registry.makeWorkItem(TestRegistry.TestWorkItem(
                institution: institution, name: "bag.tar", action: "Delete", stage: stage, status: status,
                objectIdentifier: "test.edu/bag", fileIdentifier: file, user: "requester@\(institution)",
                instApprover: "approver@\(institution)", aptrustApprover: aptrust)))
        }
        let plain = try delete("test.edu/bag/data/a.txt")
        let quoted = try delete("test.edu/bag/data/a,\"b\".txt", aptrust: "staff@aptrust.org")
        _ = try delete("test.edu/bag/data/c.txt", stage: "Requested", status: "Pending")
        _ = try delete("test.edu/bag/data/d.txt", status: "Failed")
        let response = try world.send("POST", "/api/v2/notifications/deletion")
        #expect(response.status == 200, "\(response.text)")
        let row = try #require(try world.notifications().first)
        #expect(row.type == "deletion_notifications")
        #expect(row.subject == "Deletions completed for test.edu: 2")
        #expect(row.attachmentName == "deletions.csv")
        #expect(row.attachmentContentType == "text/csv; charset=utf-8")
        #expect(row.body == """
            Deletions completed for test.edu: 2
            Each line below names a deleted file and links to its work item; deletions.csv lists the same deletions.

            test.edu/bag/data/a.txt \(world.hostBase)/items/\(plain)
            test.edu/bag/data/a,"b".txt \(world.hostBase)/items/\(quoted)
            """)
        let dates = try world.sql("""
            SELECT to_char(date AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM work_items WHERE id IN ($1, $2) ORDER BY id
            """, [String(plain), String(quoted)]).map { $0[0] ?? "" }
        let expectedCSV = "Generic File Identifier,Date Deleted,Requested By,Approved By,APTrust Approver\r\n"
            + "test.edu/bag/data/a.txt,\(dates[0]),requester@test.edu,approver@test.edu,\r\n"
            + "\"test.edu/bag/data/a,\"\"b\"\".txt\",\(dates[1]),requester@test.edu,approver@test.edu,staff@aptrust.org\r\n"

        let attachment = try world.send("GET", "/api/v2/notifications/\(row.id)/attachment")
        #expect(attachment.status == 200)
        #expect(attachment.headers.values("Content-Type") == ["text/csv; charset=utf-8"])
        #expect(attachment.headers.values("Content-Disposition") == ["attachment; filename=\"deletions.csv\""])
        #expect(attachment.body == Array(expectedCSV.utf8))
        #expect(try world.scalar("SELECT encode(attachment, 'hex') FROM notifications WHERE id = $1", [String(row.id)])
                    == expectedCSV.utf8.map { String(format: "%02x", $0) }.joined())

        #expect(try world.send("GET", "/api/v2/notifications/deletion").status == 204)
        #expect(try world.count("notifications") == 1)
    }
}
