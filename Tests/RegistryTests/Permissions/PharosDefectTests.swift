import Foundation
import Testing
import TestSupport

/// domain.md §7.3: one negative test per Pharos authorization defect; each fails against the Pharos
/// behaviour the row describes. (Row 1, user deactivation, lives in the HTML view — branch h/html,
/// not merged yet.) Rows 7 and 8 are in the `+Secrets` and `+SafeGETs` files.
@Suite("Pharos authorization defects (domain.md §7.3)")
struct PharosDefectTests {
    // MARK: Row 2 — event show compared the institution id with the event id

    @Test("§7.3 row 2 / AUD-5: an event is shown by its object's show rule, never because its id equals the caller's institution id")
    func eventShowUsesTheObjectsShowRule() throws {
        let world = try AlertWorld.start()
        // other.edu's events are stored first, so that one of its private events gets the id that
        // equals test.edu's institution id — the event Pharos's comparison would have shown.
        try world.objectWithFile("other.edu/private/data/a.txt", access: "institution")
        try world.objectWithFile("other.edu/shared/data/a.txt", access: "consortia")
        try world.objectWithFile("test.edu/own/data/a.txt", access: "institution")
        let privateEvents = TestRegistry.events(Int(world.testEduID) + 1, object: "other.edu/private")
        try world.registry.appendEvents(privateEvents)
        let shared = TestRegistry.events(1, object: "other.edu/shared")
        try world.registry.appendEvents(shared)
        let own = TestRegistry.events(1, object: "test.edu/own")
        try world.registry.appendEvents(own)
        let lookalike = try #require(try world.scalar("SELECT identifier::text FROM premis_events WHERE id = $1::bigint",
                                                      [String(world.testEduID)]))
        #expect(privateEvents.map(\.identifier).contains(lookalike))
        let ownID = try world.scalar("SELECT id FROM premis_events WHERE identifier = $1::uuid", [own[0].identifier])
        #expect(ownID != String(world.testEduID))

        for caller in [world.instUser, world.instAdmin] {
            let hidden = try world.send("GET", "/api/v2/events/\(lookalike)", as: caller)
            #expect(hidden.status == 404, "\(caller.email)")
            #expect(hidden.message == "event not found: \(lookalike)")
            #expect(try world.send("GET", "/api/v2/events/\(lookalike)/proof", as: caller).status == 404)
            #expect(try world.send("GET", "/member-api/v2/events/\(lookalike)", as: caller).status == 404)
            // Its own event, and another institution's consortia event, are shown (DOM-95).
            #expect(try world.send("GET", "/api/v2/events/\(own[0].identifier)", as: caller).status == 200)
            #expect(try world.send("GET", "/api/v2/events/\(shared[0].identifier)", as: caller).status == 200)
        }
        // The owner's inst admin sees its institution-level event.
        #expect(try world.send("GET", "/api/v2/events/\(lookalike)", as: world.otherAdmin).status == 200)
    }

    // MARK: Row 3 — requesting_user_id from the query string; self-confirmation always possible

    @Test("§7.3 row 3 / DOM-121: the requester comes from the stored request (requesting_user_id is ignored); requester ≠ confirmer unless sole")
    func confirmerIsNotTheRequester() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag", files: 1)
        try world.ingestedObject("bag2", files: 1)
        let id = try #require(try world.requestObjectDeletion("test.edu/bag", as: world.instAdmin))
        let token = try world.token(request: id, type: "deletion_request")
        let before = try world.snapshot()
        // Pharos believed the query: naming another user made the requester a valid confirmer.
        for spoof in [world.instAdmin2.userID, world.admin.userID] {
            let path = "/api/v2/objects/test.edu%2Fbag/confirm_delete?confirmation_token=\(token)&requesting_user_id=\(spoof)"
            #expect(try world.send("DELETE", path, as: world.instAdmin).status == 403)
        }
        let byID = try world.send("POST", "/api/v2/deletions/\(id)/confirm", as: world.instAdmin,
                                  json: ["token": token, "requesting_user_id": world.instAdmin2.userID])
        #expect(byID.status == 403)
        #expect(try world.snapshot() == before)
        #expect(try world.scalar("SELECT status FROM deletion_requests WHERE id = $1::bigint", [String(id)]) == "requested")
        // Another active inst admin of the institution confirms.
        let confirmed = try world.send("DELETE", "/api/v2/objects/test.edu%2Fbag/confirm_delete?confirmation_token=\(token)",
                                       as: world.instAdmin2)
        #expect(confirmed.status == 204)
        #expect(try world.scalar("""
            SELECT u.email FROM deletion_requests d JOIN users u ON u.id = d.inst_approver_id WHERE d.id = $1::bigint
            """, [String(id)]) == "admin2@test.edu")

        // Once the requester is the institution's only active inst admin, they may confirm their own.
        let second = try #require(try world.requestObjectDeletion("test.edu/bag2", as: world.instAdmin))
        let secondToken = try world.token(request: second, type: "deletion_request")
        try world.rows("UPDATE users SET deactivated_at = now() WHERE email = 'admin2@test.edu'")
        let sole = try world.send("POST", "/api/v2/deletions/\(second)/confirm", as: world.instAdmin, json: ["token": secondToken])
        #expect(sole.status == 204)
    }

    // MARK: Row 4 — confirmation tokens never expired, one per subject, plaintext

    @Test("§7.3 row 4 / DOM-59 / DOM-120: tokens are per request, stored only as SHA-256, expire after 72 h and work once")
    func confirmationTokens() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("bag1", files: 1)
        try world.ingestedObject("bag2", files: 1)
        // Pharos kept one token per object: a new request for the same object reused it.
        let cancelled = try #require(try world.requestObjectDeletion("test.edu/bag1", as: world.admin))
        let stale = try world.token(request: cancelled, type: "deletion_request")
        #expect(try world.send("POST", "/api/v2/deletions/\(cancelled)/cancel", as: world.admin).status == 200)
        let first = try #require(try world.requestObjectDeletion("test.edu/bag1", as: world.admin))
        let second = try #require(try world.requestObjectDeletion("test.edu/bag2", as: world.admin))
        let tokens = [try world.token(request: first, type: "deletion_request"), try world.token(request: second, type: "deletion_request")]
        #expect(Set(tokens + [stale]).count == 3, "one token per request, not per subject")
        #expect(try world.send("POST", "/api/v2/deletions/\(first)/confirm", as: world.instAdmin, json: ["token": stale]).status == 409)
        for (id, token) in zip([first, second], tokens) {
            #expect(token.count == 64 && token.allSatisfy { $0.isHexDigit && !$0.isUppercase })
            // Only the SHA-256 is stored, in hex (domain.md §4.10); the plaintext is in the e-mail
            // (outbox) and nowhere else.
            #expect(try world.scalar("""
                SELECT token_hash = encode(sha256(convert_to($2, 'UTF8')), 'hex')
                       AND token_expires_at = requested_at + interval '72 hours'
                FROM deletion_requests WHERE id = $1::bigint
                """, [String(id), token]) == "t")
            for table in ["deletion_requests", "audit_log", "work_items", "deletion_request_objects", "users", "api_keys"] {
                #expect(try world.count("SELECT count(*) FROM \(table) t WHERE t::text LIKE '%' || $1 || '%'", [token]) == 0,
                        "token in \(table)")
            }
        }
        // A request's token confirms only that request.
        let crossed = try world.send("POST", "/api/v2/deletions/\(first)/confirm", as: world.instAdmin, json: ["token": tokens[1]])
        #expect(crossed.status == 409)
        // Single use: the hash is cleared on use and the token then confirms nothing.
        #expect(try world.send("POST", "/api/v2/deletions/\(first)/confirm", as: world.instAdmin, json: ["token": tokens[0]]).status == 204)
        #expect(try world.scalar("SELECT token_hash IS NULL FROM deletion_requests WHERE id = $1::bigint", [String(first)]) == "t")
        #expect(try world.send("POST", "/api/v2/deletions/\(first)/confirm", as: world.instAdmin2, json: ["token": tokens[0]]).status == 409)
        // Expiry: 72 hours after issue the right token no longer works.
        try world.rows("UPDATE deletion_requests SET token_expires_at = now() - interval '1 second' WHERE id = $1::bigint", [String(second)])
        let expired = try world.send("POST", "/api/v2/deletions/\(second)/confirm", as: world.instAdmin, json: ["token": tokens[1]])
        #expect(expired.status == 409)
        #expect(try world.scalar("SELECT status FROM deletion_requests WHERE id = $1::bigint", [String(second)]) == "requested")
        #expect(try world.send("GET", "/api/v2/deletions/\(second)", as: world.instAdmin).jsonObject()["status"] as? String == "expired")
    }

    // MARK: Row 5 — restricted objects listed to inst users but not showable

    @Test("§7.3 row 5 / DOM-93: no list or export shows an inst user a restricted object's records, and list and show agree")
    func restrictedRecordsAreNotListed() throws {
        let world = try MatrixWorld.start()
        let user = try #require(world.callers.first { $0.kind == .institutionalUser })
        let admin = try #require(world.callers.first { $0.kind == .institutionalAdmin })
        let restricted = try #require(world.cells.first { $0.institution == "test.edu" && $0.access == "restricted" })
        let lists = ["/objects/?per_page=1000", "/objects/test.edu?per_page=1000", "/files/?per_page=1000",
                     "/files/test.edu?per_page=1000", "/events/?per_page=1000", "/events/test.edu?per_page=1000",
                     "/checksums/?per_page=1000", "/storage_records/?per_page=1000", "/fixity/overdue?days=1&per_page=1000",
                     "/events/export?format=ndjson", "/events/export?format=csv&institution=test.edu"]
        let client = try world.registry.client()
        for prefix in ["/api/v2", "/member-api/v2"] {
            for list in lists {
                let seenByUser = try client.request(method: "GET", path: prefix + list, headers: user.headers)
                #expect(seenByUser.status == 200, "\(list)")
                #expect(!seenByUser.text.contains(restricted.objectIdentifier), "\(prefix)\(list) lists the restricted object to an inst user")
                // The institution's inst admin does see them: the check above is not vacuous.
                let seenByAdmin = try client.request(method: "GET", path: prefix + list, headers: admin.headers)
                #expect(seenByAdmin.text.contains(restricted.objectIdentifier), "\(prefix)\(list)")
            }
            let show = try client.request(method: "GET", path: "\(prefix)/objects/\(workerEncoded(restricted.objectIdentifier))",
                                          headers: user.headers)
            #expect(show.status == 404)
        }
    }
}
