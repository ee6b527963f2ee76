import Foundation
import Testing
import TestSupport

/// `GET /reports/deposits` (#56, API-126) and `GET /reports/storage` (#57, API-127).
@Suite("Reports: deposits and storage")
struct DepositsStorageReportTests {
    /// Moves the creation times of test.edu's records into chosen months (UTC).
    static func dateDeposits(_ report: ReportWorld) throws {
        for (identifier, createdAt) in [("test.edu/bag1/a.txt", "2024-01-15T10:00:00Z"), ("test.edu/bag1/b.pdf", "2024-01-31T23:59:59.999999Z"),
                                        ("test.edu/bag1/c.txt", "2024-01-20T00:00:00Z"), ("test.edu/bag2/d.tif", "2024-03-31T23:59:59Z"),
                                        ("test.edu/bag2/e.txt", "2024-04-01T00:00:00Z"), ("sub.edu/bag/s.txt", "2023-06-01T00:00:00Z")] {
            try report.world.sql("UPDATE generic_files SET created_at = $2 WHERE identifier = $1", [identifier, createdAt])
        }
        for (identifier, createdAt) in [("test.edu/bag1", "2024-01-10T00:00:00Z"), ("test.edu/bag2", "2024-03-05T00:00:00Z"),
                                        ("test.edu/bag3", "2024-02-01T00:00:00Z"), ("sub.edu/bag", "2023-06-01T00:00:00Z")] {
            try report.world.sql("UPDATE intellectual_objects SET created_at = $2 WHERE identifier = $1", [identifier, createdAt])
        }
    }

    static func months(_ response: TestHTTPResponse) throws -> [String] {
        ((try response.jsonObject()["months"] as? [[String: Any]]) ?? []).map { month in
            "\(month["month"] ?? "") \(month["objects"] ?? "") \(month["files"] ?? "") \(month["bytes"] ?? "")"
        }
    }

    @Test("API-126: one entry per month from start to end inclusive, zero months included, active records of the institution only")
    func depositMonths() throws {
        let report = try ReportWorld.start()
        try Self.dateDeposits(report)
        let response = try report.get("/api/v2/reports/deposits?institution=test.edu&start=2023-12&end=2024-05")
        #expect(response.status == 200, "\(response.text)")
        #expect(try response.jsonObject()["institution"] as? String == "test.edu")
        #expect(try Self.months(response) == [
            "2023-12 0 0 0", "2024-01 1 2 350", "2024-02 0 0 0", "2024-03 1 1 1000", "2024-04 0 1 7", "2024-05 0 0 0",
        ])
        #expect(response.text.hasPrefix(#"{"institution":"test.edu","months":[{"month":"2023-12","objects":0,"files":0,"bytes":0}"#))
        // Default start: the month of the earliest (counted) file.
        let fromFirst = try report.get("/api/v2/reports/deposits?institution=test.edu&end=2024-04")
        #expect(try Self.months(fromFirst).first == "2024-01 1 2 350")
        #expect(try Self.months(fromFirst).count == 4)
        // Default end: the current month (UTC).
        let untilNow = try Self.months(report.get("/api/v2/reports/deposits?institution=test.edu"))
        let now = Calendar(identifier: .gregorian).dateComponents(in: TimeZone(identifier: "UTC")!, from: Date())
        #expect(untilNow.last?.hasPrefix(String(format: "%04d-%02d ", now.year ?? 0, now.month ?? 0)) == true)
        #expect(untilNow.count == ((now.year ?? 0) - 2024) * 12 + (now.month ?? 0))
        // storage_option narrows files and objects.
        let glacier = try report.get("/api/v2/reports/deposits?institution=test.edu&start=2024-01&end=2024-04&storage_option=Glacier-OH")
        #expect(try Self.months(glacier) == ["2024-01 0 0 0", "2024-02 0 0 0", "2024-03 1 1 1000", "2024-04 0 1 7"])
        // A subscriber's deposits are its own.
        let sub = try report.get("/api/v2/reports/deposits?institution=sub.edu&end=2023-07")
        #expect(try Self.months(sub) == ["2023-06 1 1 5", "2023-07 0 0 0"])
        // No counted files: start = end.
        let none = try report.get("/api/v2/reports/deposits?institution=aptrust.org&end=2024-02")
        #expect(try Self.months(none) == ["2024-02 0 0 0"])
    }

    @Test("API-126: more than 600 months → 400 (also from a data-derived start); malformed months and options → 400")
    func depositLimits() throws {
        let report = try ReportWorld.start()
        let exactly600 = try report.get("/api/v2/reports/deposits?institution=test.edu&start=2000-01&end=2049-12")
        #expect(exactly600.status == 200)
        #expect((try exactly600.jsonObject()["months"] as? [Any])?.count == 600)
        let tooMany = try report.get("/api/v2/reports/deposits?institution=test.edu&start=2000-01&end=2050-01")
        #expect(tooMany.status == 400)
        #expect(tooMany.message == "the report may cover at most 600 months")
        try report.world.sql("UPDATE generic_files SET created_at = '1950-01-01T00:00:00Z' WHERE identifier = 'test.edu/bag1/a.txt'")
        #expect(try report.get("/api/v2/reports/deposits?institution=test.edu&end=2024-01").status == 400)
        #expect(try report.get("/api/v2/reports/deposits?institution=test.edu&start=1999-02&end=2049-01").status == 200)
        for query in ["start=2024-13", "start=24-01", "end=2024-1", "start=2024-05&end=2024-04", "end=0000-01",
                      "storage_option=Glacier", "storage_option=Standard&storage_option=Glacier-OH", "month=2024-01"] {
            let response = try report.get("/api/v2/reports/deposits?institution=test.edu&" + query)
            #expect(response.status == 400, "\(query): \(response.text)")
        }
    }

    @Test("API-127: rows by institution then storage option, no zero rows, member_institution of subscribers, totals over the rows")
    func storageRows() throws {
        let report = try ReportWorld.start()
        let response = try report.get("/api/v2/reports/storage")
        #expect(response.status == 200, "\(response.text)")
        let body = try response.jsonObject()
        #expect((body["generated_at"] as? String)?.hasSuffix("Z") == true)
        let rows = (body["rows"] as? [[String: Any]]) ?? []
        #expect(rows.map { "\($0["institution"] ?? "") \($0["storage_option"] ?? "") \($0["objects"] ?? "") \($0["files"] ?? "") \($0["bytes"] ?? "")" } == [
            "other.edu Standard 1 1 42", "sub.edu Standard 1 1 5", "test.edu Glacier-OH 1 2 1007", "test.edu Standard 1 2 350",
        ])
        #expect(rows[1]["institution_type"] as? String == "SubscriptionInstitution")
        #expect(rows[1]["member_institution"] as? String == "test.edu")
        #expect(rows[0]["member_institution"] is NSNull)
        #expect(rows[0]["institution_type"] as? String == "MemberInstitution")
        #expect(body["totals"] as? NSDictionary == [
            "objects": 4, "files": 6, "bytes": 1404, "by_storage_option": ["Glacier-OH": 1007, "Standard": 397],
        ] as NSDictionary)
        #expect(response.text.contains(#"{"institution":"other.edu","institution_type":"MemberInstitution","member_institution":null,"storage_option":"Standard","objects":1,"files":1,"bytes":42}"#))

        // One institution: its own rows only (not its subscribers'), totals over them.
        let own = try report.get("/api/v2/reports/storage?institution=test.edu").jsonObject()
        #expect(((own["rows"] as? [[String: Any]]) ?? []).compactMap { $0["storage_option"] as? String } == ["Glacier-OH", "Standard"])
        #expect(own["totals"] as? NSDictionary == [
            "objects": 2, "files": 4, "bytes": 1357, "by_storage_option": ["Glacier-OH": 1007, "Standard": 350],
        ] as NSDictionary)
        let empty = try report.get("/api/v2/reports/storage?institution=aptrust.org").jsonObject()
        #expect((empty["rows"] as? [Any])?.isEmpty == true)
        #expect(empty["totals"] as? NSDictionary == ["objects": 0, "files": 0, "bytes": 0, "by_storage_option": [String: Int]()] as NSDictionary)
    }

    @Test("§10.10 + DOM-96a: non-admins get their own institution by default; any other (subscriber, other, unknown) → the same 404")
    func nonAdminScoping() throws {
        let report = try ReportWorld.start()
        let world = report.world
        for report_ in ["overview", "deposits", "storage"] {
            for caller in [world.instAdmin, world.instUser] {
                for prefix in ["/api/v2", "/member-api/v2"] {
                    let own = try report.get("\(prefix)/reports/\(report_)", as: caller)
                    #expect(own.status == 200, "\(prefix) \(report_)")
                    let named = try report.get("\(prefix)/reports/\(report_)?institution=test.edu", as: caller)
                    #expect(named.status == 200)
                    #expect(own.text.replacingOccurrences(of: #""generated_at":"[^"]*""#, with: "", options: .regularExpression)
                            == named.text.replacingOccurrences(of: #""generated_at":"[^"]*""#, with: "", options: .regularExpression))
                    for name in ["sub.edu", "other.edu", "nowhere.edu", String(world.otherEduID)] {
                        let refused = try report.get("\(prefix)/reports/\(report_)?institution=\(name)", as: caller)
                        #expect(refused.status == 404, "\(report_) \(name)")
                        #expect(refused.message == "institution not found: \(name)")
                    }
                }
            }
        }
        let own = try report.get("/api/v2/reports/overview", as: world.instUser).jsonObject()
        #expect(own["institution"] as? String == "test.edu")
        #expect((own["subscribers"] as? [[String: Any]])?.first?["identifier"] as? String == "sub.edu")
        let storage = try report.get("/member-api/v2/reports/storage", as: world.instAdmin).jsonObject()
        #expect(((storage["rows"] as? [[String: Any]]) ?? []).allSatisfy { $0["institution"] as? String == "test.edu" })
        let sub = try report.get("/api/v2/reports/overview", as: report.subUser).jsonObject()
        #expect(sub["institution"] as? String == "sub.edu" && sub["total_bytes"] as? Int == 5)
        // Visibility before parameters (DOM-96b): another institution with a bad month is still a 404.
        #expect(try report.get("/api/v2/reports/deposits?institution=other.edu&start=bad", as: world.instAdmin).status == 404)
        #expect(try report.get("/api/v2/reports/deposits?start=bad", as: world.instAdmin).status == 400)
        // Only GET (and HEAD); the member API has the same methods.
        #expect(try world.send("POST", "/api/v2/reports/overview").status == 405)
        #expect(try world.send("POST", "/member-api/v2/reports/storage").status == 405)
    }
}
