import Foundation
import Testing
import TestSupport

/// `GET /api/v2/alerts` and `/alerts/summary` (routes #45, #46; api-v2.md API-120, API-121;
/// domain.md §8.8).
@Suite("Alerts")
struct AlertListTests {
    @Test("W19: a fixity check with outcome Failed moves last_fixity_check and is counted in failed_fixity_count; Failure too (DOM-37)")
    func w19FailedFixityCounted() throws {
        let world = try AlertWorld.start()
        let file = "test.edu/bag/data/a.txt"
        try world.objectWithFile(file)
        // The ingest fixity check (Success) of 2024-03-01.
        try world.registry.appendEvents([TestRegistry.TestEvent(
            eventType: "fixity check", dateTime: "2024-03-01T10:00:00Z", outcome: "Success",
            objectIdentifier: "test.edu/bag", fileIdentifier: file)])
        let before = try world.send("GET", "/api/v2/alerts/summary").jsonObject()
        #expect(before["failed_fixity_count"] as? Int == 0)

        func postFixity(_ outcome: String, _ dateTime: String) throws -> TestHTTPResponse {
            try world.send("POST", "/api/v2/events/", json: [
                "identifier": UUID().uuidString.lowercased(), "event_type": "fixity check", "date_time": dateTime,
                "outcome": outcome, "detail": "Fixity check against registry checksum", "outcome_detail": "sha256:00ff",
                "object": "Go language crypto/sha256", "agent": "https://github.com/APTrust/exchange",
                "intellectual_object_identifier": "test.edu/bag", "generic_file_identifier": file,
            ])
        }
        let failed = try postFixity("Failed", "2024-06-01T12:00:00.123456789Z")
        #expect(failed.status == 201, "\(failed.text)")
        #expect(try world.scalar("SELECT last_fixity_check FROM generic_files WHERE identifier = $1", [file])
                    == "2024-06-01 12:00:00.123456+00")
        let summary = try world.send("GET", "/api/v2/alerts/summary")
        #expect(summary.status == 200)
        #expect(try summary.jsonObject()["failed_fixity_count"] as? Int == 1)

        #expect(try postFixity("Failure", "2024-06-02T12:00:00Z").status == 201)
        #expect(try postFixity("Success", "2024-06-03T12:00:00Z").status == 201)
        let counts = try world.send("GET", "/api/v2/alerts/summary").jsonObject()
        #expect(counts["failed_fixity_count"] as? Int == 2)
        // The list shows both failures, newest (by created_at) first, as events.
        let list = try world.send("GET", "/api/v2/alerts?type=fixity").jsonObject()
        #expect(Array(list.keys) == ["failed_fixity_checks"])
        let events = list["failed_fixity_checks"] as? [[String: Any]] ?? []
        #expect(events.compactMap { $0["outcome"] as? String } == ["Failure", "Failed"])
        #expect(events.first?["generic_file_identifier"] as? String == file)
        #expect(events.first?["institution"] as? String == "test.edu")
        // The own institution's admin sees them; another institution's admin does not.
        #expect(try world.send("GET", "/api/v2/alerts/summary", as: world.instAdmin).jsonObject()["failed_fixity_count"] as? Int == 2)
        #expect(try world.send("GET", "/api/v2/alerts/summary", as: world.otherAdmin).jsonObject()["failed_fixity_count"] as? Int == 0)
    }

    @Test("§8.8: failed ingests, restorations (Restore and Glacier Restore), deletions and stalled items; newest first, then id")
    func workItemAlerts() throws {
        let world = try AlertWorld.start()
        func item(_ action: String, _ status: String, ago: Double, queued: Double? = nil, stage: String = "Store",
                  institution: String = "test.edu") throws -> Int {
            Int(try world.registry.makeWorkItem(TestRegistry.TestWorkItem(
                institution: institution, name: "\(action)-\(status)-\(ago).tar", action: action, stage: stage,
                status: status, updatedSecondsAgo: ago, queuedSecondsAgo: queued)))
        }
        let ingestOld = try item("Ingest", "Failed", ago: 600)
        let ingestNew = try item("Ingest", "Failed", ago: 300)
        let ingestTie = try item("Ingest", "Failed", ago: 300)
        // Same updated_at as ingestNew: the higher id comes first.
        try world.sql("UPDATE work_items SET updated_at = (SELECT updated_at FROM work_items WHERE id = $1) WHERE id = $2",
                      [String(ingestNew), String(ingestTie)])
        let ingestYesterday = try item("Ingest", "Failed", ago: 25 * 3600)
        let ingestOther = try item("Ingest", "Failed", ago: 100, institution: "other.edu")
        _ = try item("Ingest", "Success", ago: 10)
        _ = try item("Ingest", "Cancelled", ago: 10)
        let restore = try item("Restore", "Failed", ago: 200)
        let glacier = try item("Glacier Restore", "Failed", ago: 100)
        let delete = try item("Delete", "Failed", ago: 50)
        _ = try item("Fixity Check", "Failed", ago: 50)
        // Stalled: non-terminal and queued more than 12 h ago, however old the last update.
        let stalledPending = try item("Ingest", "Pending", ago: 13 * 3600, queued: 13 * 3600)
        let stalledStarted = try item("Restore", "Started", ago: 30 * 3600, queued: 30 * 3600)
        _ = try item("Ingest", "Pending", ago: 3600, queued: 3600)      // queued recently
        _ = try item("Ingest", "Pending", ago: 20 * 3600)               // never queued
        _ = try item("Delete", "Success", ago: 20 * 3600, queued: 20 * 3600)  // terminal

        let all = try world.send("GET", "/api/v2/alerts/")
        #expect(all.status == 200)
        #expect(all.headers.values("Content-Type") == ["application/json; charset=utf-8"])
        let object = try all.jsonObject()
        #expect(Set(object.keys) == ["failed_fixity_checks", "failed_ingests", "failed_restorations", "failed_deletions",
                                     "stalled_work_items"])
        #expect(try all.ids("failed_ingests") == [ingestOther, ingestTie, ingestNew, ingestOld])
        #expect(try all.ids("failed_restorations") == [glacier, restore])
        #expect(try all.ids("failed_deletions") == [delete])
        #expect(try all.ids("stalled_work_items") == [stalledPending, stalledStarted])
        #expect(try all.ids("failed_fixity_checks") == [])
        // Admins see node and pid (api-v2.md §8); inst admins do not.
        #expect((object["failed_ingests"] as? [[String: Any]])?.first?.keys.contains("node") == true)

        // since: widens the failure lists; never applies to stalled items.
        let since = isoTimestamp(secondsAgo: 26 * 3600)
        let wide = try world.send("GET", "/api/v2/alerts?since=\(since)")
        #expect(try wide.ids("failed_ingests") == [ingestOther, ingestTie, ingestNew, ingestOld, ingestYesterday])
        let narrow = try world.send("GET", "/api/v2/alerts?since=\(isoTimestamp(secondsAgo: 400))")
        #expect(try narrow.ids("failed_ingests") == [ingestOther, ingestTie, ingestNew])
        #expect(try narrow.ids("stalled_work_items") == [stalledPending, stalledStarted])

        // type selects one list; stalled and stalled_wi are synonyms; limit caps each list.
        for (type, key) in [("ingest", "failed_ingests"), ("restore", "failed_restorations"), ("delete", "failed_deletions"),
                            ("stalled", "stalled_work_items"), ("stalled_wi", "stalled_work_items"),
                            ("fixity", "failed_fixity_checks")] {
            let response = try world.send("GET", "/api/v2/alerts?type=\(type)")
            #expect(Array(try response.jsonObject().keys) == [key], "type=\(type)")
        }
        #expect(try world.send("GET", "/api/v2/alerts?type=all&limit=1").ids("failed_ingests") == [ingestOther])
        #expect(try world.send("GET", "/api/v2/alerts?limit=1000").ids("failed_ingests").count == 4)

        // API-121: exact counts; since does not change the stalled count.
        let summary = try world.send("GET", "/api/v2/alerts/summary").jsonObject()
        #expect(summary as NSDictionary == [
            "failed_fixity_count": 0, "failed_ingest_count": 4, "failed_restoration_count": 2,
            "failed_deletion_count": 1, "stalled_work_item_count": 2,
        ] as NSDictionary)
        let summarySince = try world.send("GET", "/api/v2/alerts/summary?since=\(isoTimestamp(secondsAgo: 45))").jsonObject()
        #expect(summarySince["failed_ingest_count"] as? Int == 0)
        #expect(summarySince["failed_deletion_count"] as? Int == 0)
        #expect(summarySince["stalled_work_item_count"] as? Int == 2)
        let summaryDate = try world.send("GET", "/api/v2/alerts/summary?since=2000-01-01").jsonObject()
        #expect(summaryDate["failed_ingest_count"] as? Int == 5)

        // Inst admins: their own institution only, without node and pid.
        let own = try world.send("GET", "/api/v2/alerts", as: world.instAdmin)
        #expect(own.status == 200)
        #expect(try own.ids("failed_ingests") == [ingestTie, ingestNew, ingestOld])
        #expect(((try own.jsonObject()["failed_ingests"] as? [[String: Any]])?.first?.keys.contains("node")) == false)
        let other = try world.send("GET", "/api/v2/alerts/summary", as: world.otherAdmin).jsonObject()
        #expect(other["failed_ingest_count"] as? Int == 1)
        #expect(other["stalled_work_item_count"] as? Int == 0)
    }

    @Test("STALLED_AFTER_HOURS decides when a queued item counts as stalled")
    func stalledAfterHoursSetting() throws {
        let world = try AlertWorld.start(environment: ["STALLED_AFTER_HOURS": "2"])
        let stalled = try world.registry.makeWorkItem(TestRegistry.TestWorkItem(
            status: "Started", updatedSecondsAgo: 3 * 3600, queuedSecondsAgo: 3 * 3600))
        try world.registry.makeWorkItem(TestRegistry.TestWorkItem(status: "Pending", updatedSecondsAgo: 3600, queuedSecondsAgo: 3600))
        #expect(try world.send("GET", "/api/v2/alerts?type=stalled_wi").ids("stalled_work_items") == [Int(stalled)])
        #expect(try world.send("GET", "/api/v2/alerts/summary").jsonObject()["stalled_work_item_count"] as? Int == 1)
    }

    @Test("§7.2 + API-120: inst users get 403; bad since, type, limit and unknown or repeated parameters are 400")
    func permissionsAndParameters() throws {
        let world = try AlertWorld.start()
        for path in ["/api/v2/alerts", "/api/v2/alerts/summary"] {
            let refused = try world.send("GET", path, as: world.instUser)
            #expect(refused.status == 403, "\(path)")
            #expect(refused.message == "you are not authorized to do this")
            // Not a member-API route (no M in §9).
            #expect(try world.send("GET", "/member-api/v2" + path.dropFirst("/api/v2".count)).status == 404)
        }
        let cases: [(String, String)] = [
            ("/api/v2/alerts?limit=0", "limit"), ("/api/v2/alerts?limit=1001", "limit"), ("/api/v2/alerts?limit=ten", "limit"),
            ("/api/v2/alerts?limit=-1", "limit"), ("/api/v2/alerts?type=failures", "type"), ("/api/v2/alerts?since=yesterday", "since"),
            ("/api/v2/alerts/summary?since=2024-13-01", "since"), ("/api/v2/alerts?institution=test.edu", "institution"),
            ("/api/v2/alerts/summary?type=ingest", "type"), ("/api/v2/alerts?type=ingest&type=delete", "type"),
        ]
        for (path, name) in cases {
            let response = try world.send("GET", path)
            #expect(response.status == 400, "\(path)")
            #expect(response.message?.contains(name) == true, "\(path): \(response.message ?? "")")
        }
        // The role check comes before the parameters (DOM-96b).
        #expect(try world.send("GET", "/api/v2/alerts?limit=0", as: world.instUser).status == 403)
        // Empty filters are ignored (API-45): defaults apply. `limit` is a value: an empty one is no
        // integer (API-120).
        #expect(try world.send("GET", "/api/v2/alerts?since=&type=").status == 200)
        #expect(try world.send("GET", "/api/v2/alerts?since=&type=&limit=").status == 400)
    }
}

/// RFC 3339 (UTC, microseconds) of now − `seconds`, percent-encoding the `:` and `+` safely for a query.
func isoTimestamp(secondsAgo seconds: Double) -> String {
    let date = Date(timeIntervalSinceNow: -seconds)
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    formatter.timeZone = TimeZone(identifier: "UTC")
    return formatter.string(from: date)
}
