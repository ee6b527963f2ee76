import Foundation
import Testing
import TestSupport

/// `GET /deletions`, `GET /deletions/{id}` (api-v2.md #39, §8; domain.md §7.2, DOM-93, DOM-96a).
@Suite("Workflows: deletion request list and show")
struct DeletionListTests {
    static let fields = [
        "id", "institution", "institution_id", "kind", "status", "requested_by", "requested_at", "token_expires_at",
        "inst_approver", "inst_approved_at", "aptrust_approver", "aptrust_approved_at", "cancelled_by", "cancelled_at",
        "completed_at", "note", "object_count", "file_count",
    ]

    @Test("#39: tenant scoping, the derived `expired` status, repeatable status, kind, institution and date filters; §8 field order")
    func listFilters() throws {
        let world = try WorkflowWorld.start()
        for bag in ["a", "b", "c", "d"] { try world.ingestedObject(bag, files: 1) }
        try world.ingestedObject("z", files: 1, institution: "other.edu")
        let a = try #require(try world.requestObjectDeletion("test.edu/a", as: world.instAdmin))
        let b = try #require(try world.requestObjectDeletion("test.edu/b", as: world.instAdmin))
        let c = try #require(try world.requestObjectDeletion("test.edu/c", as: world.admin))
        let z = try #require(try world.requestObjectDeletion("other.edu/z", as: world.admin))
        let bulk = try #require(WorkflowWorld.requestID(try world.send("POST", "/api/v2/test.edu/trigger_bulk_delete",
                                                                        as: world.admin, json: ["ident_list": ["test.edu/d"]])))
        try world.rows("UPDATE deletion_requests SET token_expires_at = now() - interval '1 hour' WHERE id = $1::bigint", [String(b)])
        #expect(try world.send("POST", "/api/v2/deletions/\(c)/cancel", as: world.admin).status == 200)

        func ids(_ query: String, as caller: TestRegistry.Credentials, prefix: String = "/api/v2") throws -> [Int] {
            let response = try world.send("GET", "\(prefix)/deletions/\(query)", as: caller)
            try #require(response.status == 200, "\(query): \(response.status) \(response.text)")
            return try response.results().compactMap { $0["id"] as? Int }
        }
        let all = [bulk, z, c, b, a].map { Int($0) }
        #expect(try ids("", as: world.admin) == all)
        #expect(try ids("?institution=test.edu", as: world.admin) == [bulk, c, b, a].map { Int($0) })
        #expect(try ids("", as: world.instUser) == [bulk, c, b, a].map { Int($0) })
        #expect(try ids("", as: world.instAdmin, prefix: "/member-api/v2") == [bulk, c, b, a].map { Int($0) })
        #expect(try ids("?institution=other.edu", as: world.instAdmin) == [])
        #expect(try ids("?status=expired", as: world.admin) == [Int(b)])
        #expect(try ids("?status=requested", as: world.admin) == [bulk, z, a].map { Int($0) })
        #expect(try ids("?status=cancelled&status=expired", as: world.admin) == [c, b].map { Int($0) })
        #expect(try ids("?kind=bulk", as: world.admin) == [Int(bulk)])
        #expect(try ids("?requested_after=2999-01-01", as: world.admin) == [])
        #expect(try ids("?requested_before=2999-01-01&per_page=2&page=2", as: world.admin) == [c, b].map { Int($0) })

        let list = try world.send("GET", "/api/v2/deletions/?status=expired", as: world.admin)
        let first = try #require(try list.results().first)
        #expect(first["status"] as? String == "expired")
        #expect(Self.keys(list.text, in: "results") == Self.fields)

        for bad in ["?status=gone", "?sort=name", "?kind=object&kind=file", "?color=red", "?requested_after=soon"] {
            #expect(try world.send("GET", "/api/v2/deletions/\(bad)", as: world.admin).status == 400, "\(bad)")
        }
    }

    @Test("#39 show: another institution's request and a non-numeric id are the same 404; show adds the three lists")
    func show() throws {
        let world = try WorkflowWorld.start()
        try world.ingestedObject("z", files: 2, institution: "other.edu")
        let z = try #require(try world.requestObjectDeletion("other.edu/z", as: world.otherAdmin))
        let hidden = try world.send("GET", "/api/v2/deletions/\(z)", as: world.instAdmin)
        #expect(hidden.status == 404)
        #expect(hidden.message == "deletion request not found: \(z)")
        #expect(try world.send("GET", "/api/v2/deletions/abc", as: world.admin).message == "deletion request not found: abc")
        let shown = try world.send("GET", "/member-api/v2/deletions/\(z)/", as: world.otherAdmin)
        #expect(shown.status == 200)
        #expect(Self.keys(shown.text, in: nil) == Self.fields + ["object_identifiers", "file_identifiers", "work_item_ids"])
        #expect(try world.send("GET", "/api/v2/deletions/\(z)?x=1", as: world.admin).status == 400)
    }

    /// The member names of the first object in `text` (of its `results` array when `array` is given),
    /// in document order (JSONSerialization loses the order).
    static func keys(_ text: String, in array: String?) -> [String] {
        var body = Substring(text)
        if let array, let start = body.range(of: "\"\(array)\":[") { body = body[start.upperBound...] }
        guard let open = body.firstIndex(of: "{") else { return [] }
        var keys: [String] = []
        var depth = 0
        var index = open
        var inString = false
        var current = ""
        var expectingKey = false
        while index < body.endIndex {
            let character = body[index]
            if inString {
                if character == "\\" {
                    index = body.index(after: index)
                } else if character == "\"" {
                    inString = false
                    if expectingKey && depth == 1 { keys.append(current) }
                    expectingKey = false
                } else {
                    current.append(character)
                }
            } else {
                switch character {
                case "{", "[": depth += 1; if depth == 1 { expectingKey = true }
                case "}", "]": depth -= 1; if depth == 0 { return keys }
                case ",": if depth == 1 { expectingKey = true }
                case ":": expectingKey = false
                case "\"": inString = true; current = ""
                default: break
                }
            }
            index = body.index(after: index)
        }
        return keys
    }
}
