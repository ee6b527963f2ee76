import Foundation
import Testing
import TestSupport

/// The outbox: list and show (#51), attachment (#52), mark sent (#53, DOM-141), mark failed (#54).
@Suite("Notification outbox")
struct NotificationOutboxTests {
    /// An outbox row written directly (as the deletion workflow or a trigger would); returns its id.
    @discardableResult
    static func insert(_ world: AlertWorld, type: String = "deletion_request", institution: String = "test.edu",
                       recipients: String = "{admin@test.edu}", subject: String = "Deletion request 1 for test.edu: please confirm",
                       body: String = "Body\n", status: String = "pending", createdSecondsAgo: Int = 0) throws -> Int {
        let rows = try world.sql("""
            INSERT INTO notifications (notification_type, institution_id, recipients, subject, body, status, created_at)
            SELECT $1, id, $2::text[], $3, $4, $5, now() - make_interval(secs => $6::int) FROM institutions WHERE identifier = $7
            RETURNING id
            """, [type, recipients, subject, body, status, String(createdSecondsAgo), institution])
        return Int(rows[0][0] ?? "") ?? 0
    }

    @Test("#51: list (oldest first) with status, notification_type, institution and created_after; show with every field in order")
    func listAndShow() throws {
        let world = try AlertWorld.start()
        let old = try Self.insert(world, createdSecondsAgo: 7200)
        let fixity = try Self.insert(world, type: "multiple_fixity", recipients: "{admin@test.edu,ops@aptrust.org}",
                                     subject: "Failed fixity checks for test.edu: 1", createdSecondsAgo: 600)
        let other = try Self.insert(world, type: "multiple_fixity", institution: "other.edu", recipients: "{}",
                                    createdSecondsAgo: 300)
        let sent = try Self.insert(world, status: "sent", createdSecondsAgo: 100)

        func ids(_ query: String) throws -> [Int] {
            let response = try world.send("GET", "/api/v2/notifications/" + query)
            #expect(response.status == 200, "\(query): \(response.text)")
            return try response.results().compactMap { $0["id"] as? Int }
        }
        #expect(try ids("") == [old, fixity, other, sent])
        #expect(try ids("?status=pending") == [old, fixity, other])
        #expect(try ids("?status=pending&status=sent") == [old, fixity, other, sent])
        #expect(try ids("?notification_type=multiple_fixity") == [fixity, other])
        #expect(try ids("?institution=other.edu") == [other])
        #expect(try ids("?institution=\(world.testEduID)&status=pending") == [old, fixity])
        #expect(try ids("?institution=nowhere.edu") == [])
        #expect(try ids("?created_after=\(isoTimestamp(secondsAgo: 1000))") == [fixity, other, sent])
        let page = try world.send("GET", "/api/v2/notifications?status=pending&per_page=2").jsonObject()
        #expect(page["count"] as? Int == 3)
        #expect((page["next"] as? String)?.hasSuffix("/api/v2/notifications?status=pending&page=2&per_page=2") == true)

        for bad in ["?status=queued", "?notification_type=mail", "?notification_type=welcome&notification_type=password_reset",
                    "?created_after=later", "?sort=created", "?recipient=a"] {
            #expect(try world.send("GET", "/api/v2/notifications" + bad).status == 400, "\(bad)")
        }

        let show = try world.send("GET", "/api/v2/notifications/\(fixity)/")
        #expect(show.status == 200)
        let created = try world.scalar("""
            SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') FROM notifications WHERE id = $1
            """, [String(fixity)]) ?? ""
        #expect(show.text == """
            {"id":\(fixity),"notification_type":"multiple_fixity","institution_id":\(world.testEduID),\
            "recipients":["admin@test.edu","ops@aptrust.org"],"subject":"Failed fixity checks for test.edu: 1",\
            "body":"Body\\n","attachment_name":null,"attachment_content_type":null,"status":"pending","attempts":0,\
            "last_error":null,"deletion_request_id":null,"created_at":"\(created)","sent_at":null}
            """)
        #expect(try world.send("GET", "/api/v2/notifications/\(other)").jsonObject()["recipients"] as? [String] == [])
        let missing = try world.send("GET", "/api/v2/notifications/999999")
        #expect(missing.status == 404)
        #expect(missing.message == "notification not found: 999999")
        #expect(try world.send("GET", "/api/v2/notifications/\(fixity)/attachment").message == "notification has no attachment: \(fixity)")
    }

    @Test("#53, DOM-141: mark sent → 204, status sent, every token=<64 hex> in the body redacted; a repeat keeps sent_at")
    func markSent() throws {
        let world = try AlertWorld.start()
        let token = String(repeating: "0123456789abcdef", count: 4)
        let other = String(repeating: "f", count: 64)
        let body = """
            Deletion request 7 for test.edu: please confirm
            https://registry.example.org/deletions/7?token=\(token)
            again: token=\(other) and token=\(token)x; short token=\(token.dropLast()) and upper token=\(token.uppercased())
            """
        let id = try Self.insert(world, body: body)
        let response = try world.send("POST", "/api/v2/notifications/\(id)/sent")
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
        let stored = try #require(try world.notifications().first)
        #expect(stored.status == "sent")
        #expect(stored.sentAt != nil)
        #expect(stored.body == """
            Deletion request 7 for test.edu: please confirm
            https://registry.example.org/deletions/7?token=[redacted]
            again: token=[redacted] and token=[redacted]x; short token=\(token.dropLast()) and upper token=\(token.uppercased())
            """)
        // Idempotent: 204 again, the first sent_at stays; an empty JSON object body is fine too (E).
        #expect(try world.send("POST", "/api/v2/notifications/\(id)/sent", json: [String: Any]()).status == 204)
        #expect(try world.notifications().first?.sentAt == stored.sentAt)
        #expect(try world.send("POST", "/api/v2/notifications/999999/sent").status == 404)
        #expect(try world.send("GET", "/api/v2/notifications/\(id)/sent").status == 405)
        let audit = try world.sql("SELECT action, resource_id, status FROM audit_log WHERE action = 'notification.sent'")
        #expect(audit.count == 2)
        #expect(audit.first == ["notification.sent", String(id), "204"])
    }

    @Test("#54: mark failed → 204, attempts + 1, last_error; body rules (400, 422); a sent row is a 409")
    func markFailed() throws {
        let world = try AlertWorld.start()
        let id = try Self.insert(world)
        let path = "/api/v2/notifications/\(id)/failed"
        #expect(try world.send("POST", path, json: ["error": "550 mailbox unavailable"]).status == 204)
        #expect(try world.send("POST", path, json: ["error": "421 try again later", "retry": true]).status == 204)
        let stored = try #require(try world.notifications().first)
        #expect(stored.status == "failed")
        #expect(stored.attempts == 2)
        #expect(stored.lastError == "421 try again later")

        let empty = try world.send("POST", path)
        #expect(empty.status == 400)
        #expect(empty.message == "request body is required")
        let blank = try world.send("POST", path, json: ["error": " "])
        #expect(blank.status == 422)
        #expect(try blank.fieldErrors("error") == ["can't be blank"])
        #expect(try world.send("POST", path, json: ["error": 5]).fieldErrors("error") == ["must be a string"])
        #expect(try world.send("POST", path, json: [String: Any]()).fieldErrors("error") == ["can't be blank"])
        #expect(try world.notifications().first?.attempts == 2)

        // The relay retried and delivered: sent wins; a late failure report is refused.
        #expect(try world.send("POST", "/api/v2/notifications/\(id)/sent").status == 204)
        let late = try world.send("POST", path, json: ["error": "timeout"])
        #expect(late.status == 409)
        #expect(late.message == "notification \(id) was already sent")
        #expect(try world.notifications().first?.status == "sent")
        #expect(try world.send("POST", "/api/v2/notifications/999999/failed", json: ["error": "x"]).status == 404)
    }

    @Test("§7.2 + DOM-96a: the outbox is admin-only; a non-admin gets 403 for own-institution rows, 404 for others and unknown ids")
    func permissions() throws {
        let world = try AlertWorld.start()
        let own = try Self.insert(world)
        let foreign = try Self.insert(world, institution: "other.edu")
        for caller in [world.instAdmin, world.instUser] {
            #expect(try world.send("GET", "/api/v2/notifications", as: caller).status == 403)
            for (method, suffix) in [("GET", ""), ("GET", "/attachment"), ("POST", "/sent"), ("POST", "/failed")] {
                let json: Any? = suffix == "/failed" ? ["error": "x"] : nil
                let mine = try world.send(method, "/api/v2/notifications/\(own)\(suffix)", as: caller, json: json)
                #expect(mine.status == 403, "\(method) \(suffix)")
                let theirs = try world.send(method, "/api/v2/notifications/\(foreign)\(suffix)", as: caller, json: json)
                #expect(theirs.status == 404, "\(method) \(suffix)")
                #expect(theirs.message == "notification not found: \(foreign)")
                #expect(try world.send(method, "/api/v2/notifications/424242\(suffix)", as: caller, json: json).status == 404)
            }
        }
        // Not under the member API.
        #expect(try world.send("GET", "/member-api/v2/notifications").status == 404)
        let untouched = try world.notifications()
        #expect(untouched.allSatisfy { $0.status == "pending" && $0.attempts == 0 })
    }
}
