import Foundation
import Testing
import TestSupport

/// `GET /reports/overview` (route #55, api-v2.md API-125 and §10.10).
@Suite("Reports: overview")
struct OverviewReportTests {
    @Test("API-125: byte totals past the bigint range are exact, the average is their floored quotient; the dashboard shows them")
    func totalsPastBigint() throws {
        let report = try ReportWorld.start()
        // Each file and each object is limited to a bigint (DOM-70); their sum is not.
        for bag in ["huge1", "huge2"] {
            try report.object("test.edu/\(bag)", files: [("data/a", Int(Int64.max), "application/x-tar")])
        }
        let response = try report.get("/api/v2/reports/overview?institution=test.edu")
        #expect(response.status == 200)
        #expect(response.text.contains(#""total_bytes":18446744073709552971,"average_file_size":3074457345618258828,"#))
        let viewer = try report.world.registry.signedIn("viewer@test.edu", role: "institutional_admin", institution: "test.edu")
        #expect(try viewer.browser.get("/").status == 200)
    }

    @Test("API-125: state-A figures, events and items of any state, byte maps, subscribers with their own totals")
    func memberOverview() throws {
        let report = try ReportWorld.start()
        let response = try report.get("/api/v2/reports/overview?institution=test.edu")
        #expect(response.status == 200, "\(response.text)")
        let body = try response.jsonObject()
        #expect(body["institution"] as? String == "test.edu")
        #expect((body["generated_at"] as? String)?.count == 27)
        var figures = body
        figures["generated_at"] = nil
        #expect(figures as NSDictionary == [
            "institution": "test.edu",
            "intellectual_objects": 2, "generic_files": 4, "total_bytes": 1357, "average_file_size": 339,
            "premis_events": 3, "work_items": 2,
            "bytes_by_format": ["application/pdf": 250, "image/tiff": 1000, "text/plain": 107],
            "bytes_by_storage_option": ["Glacier-OH": 1007, "Standard": 350],
            "subscribers": [[
                "identifier": "sub.edu", "name": "Institution sub.edu", "intellectual_objects": 1, "generic_files": 1,
                "total_bytes": 5, "premis_events": 1, "work_items": 1,
            ]],
            "total_bytes_with_subscribers": 1362,
        ] as NSDictionary)
        // Field order of the representation.
        let keys = ["\"institution\"", "\"generated_at\"", "\"intellectual_objects\"", "\"generic_files\"", "\"total_bytes\"",
                    "\"average_file_size\"", "\"premis_events\"", "\"work_items\"", "\"bytes_by_format\"",
                    "\"bytes_by_storage_option\"", "\"subscribers\"", "\"total_bytes_with_subscribers\""]
        let positions = keys.map { response.text.range(of: $0)?.lowerBound.utf16Offset(in: response.text) ?? -1 }
        #expect(positions == positions.sorted() && !positions.contains(-1))

        // A subscriber's own overview: no roll-up, no subscribers; a member without subscribers too.
        let sub = try report.get("/api/v2/reports/overview?institution=sub.edu").jsonObject()
        #expect(sub["total_bytes"] as? Int == 5 && sub["total_bytes_with_subscribers"] as? Int == 5)
        #expect((sub["subscribers"] as? [Any])?.isEmpty == true)
        let other = try report.get("/api/v2/reports/overview?institution=other.edu").jsonObject()
        #expect(other["generic_files"] as? Int == 1 && other["average_file_size"] as? Int == 42)
        #expect((other["subscribers"] as? [Any])?.isEmpty == true)
        // No files: average 0.
        let empty = try report.get("/api/v2/reports/overview?institution=aptrust.org").jsonObject()
        #expect(empty["generic_files"] as? Int == 0 && empty["average_file_size"] as? Int == 0)
        #expect(empty["bytes_by_format"] as? [String: Int] == [:])
    }

    @Test("API-125: premis_events = count of GET /events?institution=, work_items = count of GET /items?institution=")
    func countsMatchTheLists() throws {
        let report = try ReportWorld.start()
        for institution in ["test.edu", "sub.edu", "other.edu", "aptrust.org"] {
            let overview = try report.get("/api/v2/reports/overview?institution=\(institution)").jsonObject()
            let events = try report.get("/api/v2/events?institution=\(institution)").jsonObject()
            let items = try report.get("/api/v2/items?institution=\(institution)").jsonObject()
            #expect(overview["premis_events"] as? Int == events["count"] as? Int, "\(institution)")
            #expect(overview["work_items"] as? Int == items["count"] as? Int, "\(institution)")
        }
    }

    @Test("§10.10: admins without institution get all institutions; by numeric id too; unknown → 404")
    func adminScopes() throws {
        let report = try ReportWorld.start()
        let all = try report.get("/api/v2/reports/overview").jsonObject()
        #expect(all["institution"] is NSNull)
        #expect(all["intellectual_objects"] as? Int == 4)
        #expect(all["generic_files"] as? Int == 6)
        #expect(all["total_bytes"] as? Int == 1404)
        #expect(all["premis_events"] as? Int == 6)
        #expect(all["work_items"] as? Int == 4)
        #expect(all["bytes_by_format"] as? [String: Int] == ["application/pdf": 250, "image/tiff": 1000, "text/plain": 154])
        #expect(all["bytes_by_storage_option"] as? [String: Int] == ["Glacier-OH": 1007, "Standard": 397])
        #expect((all["subscribers"] as? [Any])?.isEmpty == true)
        #expect(all["total_bytes_with_subscribers"] as? Int == 1404)
        let byID = try report.get("/api/v2/reports/overview?institution=\(report.world.testEduID)").jsonObject()
        #expect(byID["institution"] as? String == "test.edu" && byID["total_bytes"] as? Int == 1357)
        let unknown = try report.get("/api/v2/reports/overview?institution=nowhere.edu")
        #expect(unknown.status == 404)
        #expect(unknown.message == "institution not found: nowhere.edu")
    }
}
