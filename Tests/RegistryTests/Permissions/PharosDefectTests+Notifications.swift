import Foundation
import Testing
import TestSupport

/// domain.md §7.3 rows 6 and 9: what the alerts and notification triggers include.
extension PharosDefectTests {
    // MARK: Row 6 — the failed-fixity e-mail listed every institution's failures

    @Test("§7.3 row 6 / DOM-140 / DOM-141a: each institution's failed-fixity notification lists and links only its own events")
    func failedFixityPerInstitution() throws {
        let world = try AlertWorld.start()
        try world.objectWithFile("test.edu/bag/data/a.txt")
        try world.objectWithFile("other.edu/bag/data/b.txt")
        let own = try world.fixityEvents(["Failed"], file: "test.edu/bag/data/a.txt")
        let others = try world.fixityEvents(["Failed", "Failure"], file: "other.edu/bag/data/b.txt")
        #expect(try world.send("POST", "/api/v2/notifications/failed_fixity").status == 200)
        let notifications = try world.notifications(type: "multiple_fixity")
        #expect(notifications.count == 2)
        for notification in notifications {
            let (mine, theirs) = notification.institution == "test.edu" ? (own, others) : (others, own)
            #expect(Set(try world.linkedEvents(notification.id)) == Set(mine))
            for event in mine { #expect(notification.body.contains(event)) }
            for event in theirs { #expect(!notification.body.contains(event), "\(notification.institution) lists \(event)") }
            let foreign = notification.institution == "test.edu" ? "other.edu" : "test.edu"
            #expect(!notification.body.contains(foreign) && !notification.subject.contains(foreign))
            #expect(notification.recipients.allSatisfy { $0.hasSuffix("@" + notification.institution) }, "\(notification.recipients)")
        }
        // DOM-140: a second call finds nothing new.
        #expect(try world.send("POST", "/api/v2/notifications/failed_fixity").status == 204)
    }

    // MARK: Row 9 — Failed/Failure and Record/Resolve mismatches silently broke alerts

    @Test("§7.3 row 9 / DOM-37 / API-131: `Failed` and `Failure` are both failures; restores finished at `Resolve` or `Record` are both notified")
    func vocabularyMismatches() throws {
        let world = try AlertWorld.start()
        try world.objectWithFile("test.edu/bag/data/a.txt")
        try world.registry.makeFile("test.edu/bag/data/b.txt")
        let failed = try world.fixityEvents(["Failed"], file: "test.edu/bag/data/a.txt")
        let failure = try world.fixityEvents(["Failure"], file: "test.edu/bag/data/b.txt")
        let both = Set(failed + failure)

        let alerts = try world.send("GET", "/api/v2/alerts/?type=fixity", as: world.instAdmin)
        let alerted = ((try alerts.jsonObject()["failed_fixity_checks"] as? [[String: Any]]) ?? []).compactMap { $0["identifier"] as? String }
        #expect(Set(alerted) == both)
        #expect(try world.send("GET", "/api/v2/alerts/summary", as: world.instAdmin).jsonObject()["failed_fixity_count"] as? Int == 2)
        for outcome in ["Failed", "Failure"] {
            let listed = try world.send("GET", "/api/v2/events/?event_type=fixity+check&outcome=\(outcome)", as: world.instUser)
            #expect(Set(try listed.identifiers()) == both, "outcome=\(outcome)")
        }
        #expect(try world.send("POST", "/api/v2/notifications/failed_fixity").status == 200)
        let fixity = try #require(try world.notifications(type: "multiple_fixity").first)
        #expect(Set(try world.linkedEvents(fixity.id)) == both)

        // The workers finish restores at Resolve; Pharos looked only for Record.
        let resolve = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Restore", stage: "Resolve", status: "Success"))
        let record = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(action: "Restore", stage: "Record", status: "Success"))
        #expect(try world.send("POST", "/api/v2/notifications/successful_restoration").status == 200)
        let restoration = try #require(try world.notifications(type: "multiple_restoration").first)
        #expect(try world.linkedItems(restoration.id) == [Int(resolve), Int(record)].sorted())
    }
}
