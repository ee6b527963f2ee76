import Foundation
import Testing
import TestSupport

/// Issue 5's end-to-end deletion: an object with 50 files, requested by one inst admin, confirmed by a
/// second with the token from the notification, worked by the delete worker (DOM-123) to the end.
@Suite("Workflows: object deletion end to end")
struct DeletionEndToEndTests {
    @Test("DOM-120..126, W21, W22: request → confirm (second inst admin) → 50 Delete items worked → object D, request completed")
    func objectWithFiftyFiles() throws {
        let world = try WorkflowWorld.start()
        let object = try world.ingestedObject("big", files: 50)
        let base = "http://127.0.0.1:\(world.registry.port)"

        // DOM-120: the request (204 + Location), a token whose SHA-256 alone is stored.
        let requested = try world.send("DELETE", "/api/v2/objects/test.edu%2Fbig/delete", as: world.instAdmin)
        #expect(requested.status == 204)
        let requestID = try #require(WorkflowWorld.requestID(requested))
        let token = try world.token(request: requestID, type: "deletion_request")
        #expect(token.count == 64)
        #expect(try world.scalar("SELECT token_hash = encode(sha256(convert_to($1, 'UTF8')), 'hex') FROM deletion_requests", [token]) == "t")
        #expect(try world.scalar("SELECT token_expires_at - requested_at FROM deletion_requests") == "3 days")
        let request = try world.rows("""
            SELECT recipients::text, subject, body FROM notifications WHERE notification_type = 'deletion_request'
            """)[0]
        #expect(request[0] == "{admin2@test.edu}")  // every active inst admin except the requester
        #expect(request[1] == "Deletion request \(requestID) for test.edu: please confirm")
        let coveredItems = [("test.edu/big", "\(base)/objects/test.edu%2Fbig")]
            + object.files.map { ($0, "\(base)/files/\(WorkflowWorld.encode($0))") }
        let header = try NotificationLayout.check(request[2] ?? "", items: coveredItems)
        #expect(header.contains { $0.contains("\(base)/deletions/\(requestID)?token=\(token)") })

        // DOM-125: finishing the object before its files are deleted is refused and changes nothing.
        let early = try world.snapshot()
        let refused = try world.send("GET", "/api/v2/objects/test.edu%2Fbig/finish_delete", as: world.admin)
        #expect(refused.status == 409)
        #expect(try world.snapshot() == early)

        // DOM-121/122: the second inst admin confirms with the token from the e-mail.
        let confirmed = try world.send("DELETE", "/api/v2/objects/test.edu%2Fbig/confirm_delete?confirmation_token=\(token)",
                                       as: world.instAdmin2)
        #expect(confirmed.status == 204)
        let worker = DeleteWorker(world: world)
        let items = try worker.items(request: requestID)
        #expect(items.count == 50)
        let fields = try world.rows("""
            SELECT DISTINCT action, stage, status, note, outcome, "user", inst_approver, coalesce(aptrust_approver, '<null>'),
                   name, etag, bucket, retry::text, pid::text, coalesce(queued_at::text, '<null>'), object_identifier
            FROM work_items WHERE deletion_request_id = $1::bigint
            """, [String(requestID)])
        #expect(fields == [["Delete", "Requested", "Pending", "Delete requested", "Not started", "admin@test.edu",
                            "admin2@test.edu", "<null>", "big.tar", "ingest-etag-big", "aptrust.receiving.test.edu",
                            "true", "0", "<null>", "test.edu/big"]])
        #expect(try world.count("""
            SELECT count(*) FROM work_items w JOIN generic_files f ON f.id = w.generic_file_id
            WHERE w.deletion_request_id = $1::bigint AND w.generic_file_identifier = f.identifier AND w.size = f.size
            """, [String(requestID)]) == 50)
        #expect(try world.scalar("SELECT status || ':' || (token_hash IS NULL)::text FROM deletion_requests") == "approved:true")

        // DOM-123: the worker works every item; only the last one finishes the object.
        var finishedBy: [Int] = []
        for item in items {
            if try worker.work(item: item) { finishedBy.append(item) }
        }
        #expect(finishedBy == [items[49]])

        // The end state: object and files D, counts zero, storage records superseded, the server's
        // object deletion event, the request completed.
        #expect(try world.scalar("SELECT state || ':' || file_count || ':' || file_size FROM intellectual_objects") == "D:0:0")
        #expect(try world.count("SELECT count(*) FROM generic_files WHERE state = 'A'") == 0)
        #expect(try world.count("SELECT count(*) FROM storage_records WHERE superseded_at IS NULL") == 0)
        let objectEvents = try world.rows("""
            SELECT detail, outcome, outcome_detail, outcome_information, object, agent
            FROM premis_events WHERE event_type = 'deletion' AND generic_file_id IS NULL
            """)
        #expect(objectEvents == [["Object deleted from preservation storage", "Success", "admin@test.edu",
                                  "Object deleted at the request of admin@test.edu. Institutional approver: admin2@test.edu.",
                                  "registry", try world.scalar("SELECT agent FROM premis_events WHERE object = 'registry'")]])
        #expect(try world.scalar("SELECT agent LIKE 'registry/%' FROM premis_events WHERE object = 'registry'") == "t")
        #expect(try world.count("SELECT count(*) FROM premis_events WHERE event_type = 'deletion'") == 51)
        #expect(try world.registry.cli(["audit", "verify"]).status == 0)
        #expect(try world.scalar("SELECT status || ':' || (completed_at IS NOT NULL)::text FROM deletion_requests")
                == "completed:true")
        #expect(try world.count("SELECT count(*) FROM work_items WHERE action = 'Delete' AND status = 'Success'") == 50)

        // Audit rows: one request, one confirmation, 50 file finishes and one object finish.
        let audit = try world.rows("""
            SELECT action, resource_type, count(*)::text FROM audit_log WHERE action LIKE 'deletion.%'
            GROUP BY action, resource_type ORDER BY action, resource_type
            """)
        #expect(audit == [["deletion.confirm", "deletion_request", "1"], ["deletion.finish", "generic_file", "50"],
                          ["deletion.finish", "intellectual_object", "1"], ["deletion.request", "deletion_request", "1"]])

        // The three notifications, each in the DOM-141b layout with the subject of its type.
        let notes = try world.rows("""
            SELECT notification_type, recipients::text, subject, body FROM notifications ORDER BY id
            """)
        #expect(notes.map { $0[0] ?? "" } == ["deletion_request", "deletion_confirmation", "deletion_finished"])
        #expect(notes[1][1] == "{admin2@test.edu,admin@test.edu}")
        #expect(notes[1][2] == "Deletion request \(requestID) for test.edu confirmed")
        #expect(notes[2][1] == "{admin2@test.edu,admin@test.edu}")
        #expect(notes[2][2] == "Deletion request \(requestID) for test.edu completed")
        for note in notes.dropFirst() {
            let lines = try NotificationLayout.check(note[3] ?? "", items: coveredItems)
            #expect(lines.contains { $0.contains("\(base)/deletions/\(requestID)") })
            #expect(!(note[3] ?? "").contains("token="))
        }

        // The request as the API shows it.
        let show = try world.send("GET", "/api/v2/deletions/\(requestID)/", as: world.instUser).jsonObject()
        #expect(show["status"] as? String == "completed")
        #expect(show["object_count"] as? Int == 1 && show["file_count"] as? Int == 50)
        #expect(show["requested_by"] as? String == "admin@test.edu" && show["inst_approver"] as? String == "admin2@test.edu")
        #expect(show["object_identifiers"] as? [String] == ["test.edu/big"])
        #expect(show["file_identifiers"] as? [String] == object.files)
        #expect(show["work_item_ids"] as? [Int] == items)

        // DOM-124/125: finishing again is an idempotent 204.
        #expect(try world.send("GET", "/api/v2/objects/test.edu%2Fbig/finish_delete/", as: world.admin).status == 204)
        #expect(try world.send("POST", "/api/v2/files/finish_delete/\(WorkflowWorld.encode(object.files[0]))",
                               as: world.admin).status == 204)
        #expect(try world.count("SELECT count(*) FROM premis_events WHERE event_type = 'deletion'") == 51)
        // OPS-37: the ones the workers posted and the object's, written by finish_delete, all count.
        let metrics = try world.send("GET", "/metrics", as: world.admin).text
        #expect(metrics.contains(#"registry_events_created_total{event_type="deletion",outcome_class="success"} 51"#))
    }
}

/// The notification body layout of domain.md DOM-141b.
enum NotificationLayout {
    /// Checks `body`: LF line ends, header lines, one empty line, exactly one `<identifier> <URL>` line
    /// per expected item in order, nothing after. Returns the header lines.
    static func check(_ body: String, items: [(String, String)], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String] {
        #expect(!body.contains("\r"), sourceLocation: sourceLocation)
        #expect(!body.hasSuffix("\n"), "nothing follows the last item line", sourceLocation: sourceLocation)
        let lines = body.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let gap = try #require(lines.firstIndex(of: ""), "no empty line in \(body.prefix(300))", sourceLocation: sourceLocation)
        let header = Array(lines[..<gap])
        #expect(!header.isEmpty, sourceLocation: sourceLocation)
        let itemLines = Array(lines[(gap + 1)...])
        #expect(itemLines == items.map { "\($0.0) \($0.1)" }, sourceLocation: sourceLocation)
        return header
    }
}
