import Foundation
import Testing
import TestSupport

/// `GET /api/v2/items` (route #31, api-v2.md API-105 with the list rules of §5).
@Suite("Work items: list")
struct WorkItemListTests {
    @Test("W2: the bucket reader's lookup with no match → 200, count 0, results []")
    func w2NoMatch() throws {
        let api = try WorkItemFixture.start()
        let response = try api.send("GET", "/api/v2/items/?item_action=Ingest&name=b.tar&etag=abc&page=1&per_page=1")
        #expect(response.status == 200)
        #expect(response.text == #"{"count":0,"next":null,"previous":null,"results":[]}"#)
    }

    @Test("W5: the queue poller with 101 matches — next keeps every filter in order, then page and per_page")
    func w5QueuePoller() throws {
        let api = try WorkItemFixture.start()
        try insertItems(api, count: 101)
        // Non-matching rows: queued, with a node, not retrying, another status.
        try insertItems(api, count: 1, queuedAt: "now()")
        try insertItems(api, count: 1, node: "'worker'")
        try insertItems(api, count: 1, retry: "false")
        try insertItems(api, count: 1, status: "'Started'")
        let path = "/api/v2/items/?node_empty=true&page=1&per_page=100&queued=false&retry=true&status=Pending"
        let first = try api.send("GET", path)
        #expect(first.status == 200)
        let page = try first.jsonObject()
        #expect(page["count"] as? Int == 101)
        #expect((page["results"] as? [Any])?.count == 100)
        let next = page["next"] as? String ?? ""
        #expect(next.hasSuffix("?node_empty=true&queued=false&retry=true&status=Pending&page=2&per_page=100"))
        #expect(next.hasPrefix("http://"))
        #expect(isNull(page["previous"]))
        let nextPath = String(next[next.range(of: "/api/v2/")!.lowerBound...])
        let second = try api.send("GET", nextPath).jsonObject()
        #expect((second["results"] as? [Any])?.count == 1)
        #expect(isNull(second["next"]))
        #expect((second["previous"] as? String)?.hasSuffix("&page=1&per_page=100") == true)
        // Newest date first (sort `date`, API-105): the fixture dates item n at now − n seconds.
        let names = ((page["results"] as? [[String: Any]]) ?? []).compactMap { $0["name"] as? String }
        #expect(names == (1...100).map { "bag\($0).tar" })
        #expect(((second["results"] as? [[String: Any]])?.first?["name"] as? String) == "bag101.tar")
    }

    @Test("API-105: every filter and alias at least once")
    func filters() throws {
        let api = try WorkItemFixture.start()
        let (objectID, _) = try insertObjectAndFile(api, bag: "bagA")
        _ = objectID
        let a = try api.create(api.ingestItem("bagA.tar", etag: "etag-a", [
            "object_identifier": "test.edu/bagA", "generic_file_identifier": "test.edu/bagA/data/a.txt", "node": "node-1",
            "pid": 77, "queued_at": "2024-01-01T00:00:00Z", "needs_admin_review": true, "bag_date": "2024-03-01T10:00:00.250Z",
        ]))
        let b = try api.create(api.ingestItem("bagB.tar", etag: "etag-b", ["stage": "Store", "status": "Failed", "retry": false]))
        let c = try api.create(api.ingestItem("bagC.tar", ["action": "Restore", "stage": "Requested", "institution_id": api.otherEduID]))
        let (ida, idb, idc) = (a["id"] as? Int ?? 0, b["id"] as? Int ?? 0, c["id"] as? Int ?? 0)
        func ids(_ query: String) throws -> [Int] {
            let response = try api.send("GET", "/api/v2/items/?" + query)
            #expect(response.status == 200, "\(query): \(response.text)")
            let results = (try response.jsonObject()["results"] as? [[String: Any]]) ?? []
            return results.compactMap { $0["id"] as? Int }.sorted()
        }
        let cases: [(String, [Int])] = [
            ("institution=test.edu", [ida, idb]), ("institution=\(api.otherEduID)", [idc]),
            ("institution_id=\(api.testEduID)", [ida, idb]), ("institution=test.edu&institution=other.edu", [ida, idb, idc]),
            ("institution=nowhere.edu", []), ("name=bagA.tar", [ida]), ("name_like=BAG", [ida, idb, idc]),
            ("name_like=%25", [ida, idb, idc]), ("name_like=_", []), ("etag=etag-b", [idb]), ("etag_like=TAG-A", [ida]), ("etag_like=tag-", [ida, idb, idc]),
            ("object_identifier=test.edu%2FbagA", [ida]), ("object_identifier_like=baga", [ida]),
            ("file_identifier=test.edu%2FbagA%2Fdata%2Fa.txt", [ida]),
            ("generic_file_identifier=test.edu%2FbagA%2Fdata%2Fa.txt", [ida]), ("file_identifier_like=a.TXT", [ida]),
            ("item_action=Restore", [idc]), ("action=Restore", [idc]), ("action=Restore&item_action=Ingest", [ida, idb, idc]),
            ("item_action=Glacier+Restore", []), ("stage=Store", [idb]), ("stage=Store&stage=Receive", [ida, idb]),
            ("status=Failed", [idb]), ("status=Failed&status=Pending", [ida, idb, idc]), ("queued=true", [ida]),
            ("queued=false", [idb, idc]), ("node=node-1", [ida]), ("node_empty=true", [idb, idc]), ("node_empty=false", [ida]),
            ("node_not_empty=true", [ida]), ("pid=77", [ida]), ("pid=2147483648", []), ("pid=9223372036854775807", []), ("pid_empty=true", [idb, idc]), ("pid_not_empty=true", [ida]),
            ("retry=false", [idb]), ("retry=true", [ida, idc]), ("needs_admin_review=true", [ida]),
            ("bag_date=2024-03-01T10:00:00Z", [ida]), ("bag_date=2024-03-01T10:00:01Z", []),
            ("created_after=2000-01-01", [ida, idb, idc]), ("created_before=2000-01-01", []),
            ("updated_after=2999-01-01", []), ("updated_before=2999-01-01T00:00:00Z", [ida, idb, idc]),
            ("updated_since=2000-01-01", [ida, idb, idc]), ("name=", [ida, idb, idc]),
            ("name=bagA.tar&status=Failed", []),
        ]
        for (query, expected) in cases {
            #expect(try ids(query) == expected.sorted(), "\(query)")
        }
    }

    @Test("API-105 sorts: date (default), name, created, institution; every order ends with id; bad sort 400")
    func sorts() throws {
        let api = try WorkItemFixture.start()
        let sql = try api.registry.sql()
        try sql.query("""
            INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, date, note, outcome, action, stage, status, created_at)
            VALUES ('c.tar', 'e', now(), 'b', 'u', $1, '2024-01-03', 'n', 'o', 'Ingest', 'Receive', 'Pending', '2024-02-01'),
                   ('a.tar', 'e', now(), 'b', 'u', $2, '2024-01-01', 'n', 'o', 'Ingest', 'Receive', 'Pending', '2024-02-03'),
                   ('b.tar', 'e', now(), 'b', 'u', $1, '2024-01-01', 'n', 'o', 'Ingest', 'Receive', 'Pending', '2024-02-02')
            """, [String(api.testEduID), String(api.otherEduID)])
        func names(_ query: String) throws -> [String] {
            let results = (try api.send("GET", "/api/v2/items?" + query).jsonObject()["results"] as? [[String: Any]]) ?? []
            return results.compactMap { $0["name"] as? String }
        }
        #expect(try names("") == ["c.tar", "b.tar", "a.tar"])  // date DESC, then id DESC
        #expect(try names("sort=date") == ["c.tar", "b.tar", "a.tar"])
        #expect(try names("sort=name") == ["a.tar", "b.tar", "c.tar"])
        #expect(try names("sort=created") == ["a.tar", "b.tar", "c.tar"])
        #expect(try names("sort=institution") == ["a.tar", "c.tar", "b.tar"])  // other.edu, then test.edu by id
        let bad = try api.send("GET", "/api/v2/items?sort=date+DESC")
        #expect(bad.status == 400)
        #expect(try bad.jsonObject()["message"] as? String == "invalid sort: date DESC")
    }

    @Test("API-45/45a/48: unknown, repeated and unparsable parameters are 400 naming them; count=false")
    func parameterErrors() throws {
        let api = try WorkItemFixture.start()
        let cases: [(String, String)] = [
            ("bogus=1", "unknown query parameter: bogus"), ("name_like=a&name_like=b", "parameter may not repeat: name_like"),
            ("status=Done", "invalid value for status: Done"), ("action=ingest", "invalid value for action: ingest"),
            ("queued=yes", "invalid boolean for queued: yes"), ("pid=x", "invalid integer for pid: x"),
            ("bag_date=May", "invalid date for bag_date: May"), ("institution_id=test.edu", "invalid integer for institution_id: test.edu"),
            ("per_page=0", "per_page must be between 1 and 1000"), ("page=0", "page must be a positive integer"),
            ("retry=true&retry=false", "parameter may not repeat: retry"),
            // An alias counts as its filter (API-45a); the message names the later one as sent.
            ("file_identifier=a&generic_file_identifier=b", "parameter may not repeat: generic_file_identifier"),
            ("updated_since=2024-01-01&updated_after=2024-01-02", "parameter may not repeat: updated_after"),
        ]
        for (query, message) in cases {
            let response = try api.send("GET", "/api/v2/items/?" + query)
            #expect(response.status == 400, "\(query)")
            #expect(try response.jsonObject()["message"] as? String == message, "\(query)")
        }
        _ = try api.create(api.ingestItem())
        let uncounted = try api.send("GET", "/api/v2/items/?count=false").jsonObject()
        #expect(isNull(uncounted["count"]))
        #expect((uncounted["results"] as? [Any])?.count == 1)
    }

    @Test("DOM-93: tenant scoping; node and pid fields only for admins, their filters for everyone (API-105); member API")
    func tenantScoping() throws {
        let api = try WorkItemFixture.start()
        _ = try api.create(api.ingestItem("own.tar", ["node": "n1"]))
        _ = try api.create(api.ingestItem("other.tar", ["institution_id": api.otherEduID]))
        for caller in [api.instAdmin, api.instUser] {
            for prefix in ["/api/v2", "/member-api/v2"] {
                let response = try api.send("GET", prefix + "/items/", as: caller)
                #expect(response.status == 200)
                let page = try response.jsonObject()
                #expect(page["count"] as? Int == 1)
                let item = (page["results"] as? [[String: Any]])?.first ?? [:]
                #expect(item["name"] as? String == "own.tar")
                #expect(item["node"] == nil && item["pid"] == nil)
            }
            // Naming another institution is an empty result, not an error (DOM-93, DOM-96a).
            let foreign = try api.send("GET", "/api/v2/items/?institution=other.edu", as: caller).jsonObject()
            #expect(foreign["count"] as? Int == 0)
            // API-105 lists the node and pid filters for every role; they filter within the
            // caller's own items only, and the fields stay hidden.
            let nodeSet = try api.send("GET", "/api/v2/items/?node_not_empty=true", as: caller).jsonObject()
            #expect(nodeSet["count"] as? Int == 1)
            #expect(((nodeSet["results"] as? [[String: Any]])?.first ?? [:])["node"] == nil)
            #expect(try api.send("GET", "/api/v2/items/?node_empty=true", as: caller).jsonObject()["count"] as? Int == 0)
            #expect(try api.send("GET", "/api/v2/items/?node=n1&pid_empty=true", as: caller).jsonObject()["count"] as? Int == 1)
        }
        let all = try api.send("GET", "/api/v2/items/").jsonObject()
        #expect(all["count"] as? Int == 2)
        let first = (all["results"] as? [[String: Any]])?.first ?? [:]
        #expect(first.keys.contains("node") && first.keys.contains("pid"))
    }
}

/// Inserts `count` work items of test.edu directly, dated one second apart (bulk fixtures for
/// paging and plans; the API's own writes are tested elsewhere).
func insertItems(_ api: WorkItemFixture, count: Int, queuedAt: String = "NULL", node: String = "NULL",
                 retry: String = "true", status: String = "'Pending'") throws {
    // Only SQL literals chosen by the tests above are spliced in here.
    try api.registry.sql().query("""
        INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, date, note, outcome, action, stage,
                                status, retry, queued_at, node)
        SELECT 'bag' || n || '.tar', 'etag' || n, now(), 'aptrust.receiving.test.edu', 'system@aptrust.org', $1,
               now() - n * interval '1 second', 'note', 'outcome', 'Ingest', 'Receive', \(status), \(retry), \(queuedAt), \(node)
        FROM generate_series(1, $2) AS n
        """, [String(api.testEduID), String(count)])
}
