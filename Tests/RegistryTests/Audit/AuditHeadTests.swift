import CryptoSupport
import Foundation
import Formats
import Testing
import TestSupport

/// `GET /audit/head` (AUD-50) and `GET /audit/heads` (AUD-51).
@Suite("GET /audit/head, /audit/heads")
struct AuditHeadTests {
    static let zeros = String(repeating: "0", count: 64)

    static func isAPITimestamp(_ value: Any?) -> Bool {
        guard let text = value as? String else { return false }
        return text.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$"#, options: .regularExpression) != nil
    }

    @Test("AUD-50: the head of the caller's institution by default, fields in order, equal to the stored head")
    func ownHead() throws {
        let world = try AuditWorld.start()
        let stored = try world.registry.recordedHead("test.edu").split(separator: "@")
        for caller in [world.instUser, world.instAdmin] {
            for path in ["/api/v2/audit/head", "/api/v2/audit/head/", "/member-api/v2/audit/head",
                         "/api/v2/audit/head?institution=test.edu", "/api/v2/audit/head?institution="] {
                let response = try world.get(path, as: caller)
                #expect(response.status == 200, "\(path)")
                #expect(response.text.hasPrefix(#"{"institution":"test.edu","sequence":7,"chain_hash":"\#(stored[0])","as_of":""#),
                        "\(path): \(response.text)")
                #expect(Self.isAPITimestamp(try response.jsonObject()["as_of"]))
                #expect(response.headers.values("Cache-Control") == ["no-store"])
            }
        }
        let head = try world.get("/api/v2/audit/head", as: world.instUser, method: "HEAD")
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test("AUD-50/DOM-96a: another institution is a 404 exactly like an unknown one; admins must name one (400)")
    func visibilityAndAdmins() throws {
        let world = try AuditWorld.start()
        for caller in [world.instUser, world.instAdmin] {
            let other = try world.get("/api/v2/audit/head?institution=other.org", as: caller)
            let unknown = try world.get("/api/v2/audit/head?institution=nope.org", as: caller)
            #expect(other.status == 404 && unknown.status == 404)
            #expect(other.text == #"{"status":"error","message":"institution not found: other.org"}"#)
            #expect(unknown.text == #"{"status":"error","message":"institution not found: nope.org"}"#)
            // Visibility comes before the parameter check (DOM-96b).
            #expect(try world.get("/api/v2/audit/head?institution=other.org&bogus=1", as: caller).status == 404)
            #expect(try world.get("/api/v2/audit/head?bogus=1", as: caller).text
                    == #"{"status":"error","message":"unknown query parameter: bogus"}"#)
        }
        let missing = try world.get("/api/v2/audit/head", as: world.admin)
        #expect(missing.status == 400)
        #expect(try missing.jsonObject()["message"] as? String == "institution is required")
        #expect(try world.get("/api/v2/audit/head?institution=nope.org", as: world.admin).status == 404)
        let other = try world.get("/api/v2/audit/head?institution=other.org", as: world.admin)
        #expect(other.status == 200)
        #expect(try other.jsonObject()["sequence"] as? Int == 1)
        // No events yet: sequence 0 and 64 zeros.
        let empty = try world.get("/member-api/v2/audit/head?institution=aptrust.org", as: world.admin)
        #expect(empty.text.hasPrefix(#"{"institution":"aptrust.org","sequence":0,"chain_hash":"\#(Self.zeros)","as_of":"#))
        #expect(try world.get("/api/v2/audit/head?institution=test.edu&institution=test.edu", as: world.admin).status == 400)
        let wrongKey = try world.registry.client().request(
            method: "GET", path: "/api/v2/audit/head", headers: [("X-Pharos-API-User", "user@test.edu"), ("X-Pharos-API-Key", "x")])
        #expect(wrongKey.status == 401)
    }

    @Test("AUD-51: admins get every head in identifier byte order and the combined hash of their lines")
    func allHeads() throws {
        let world = try AuditWorld.start()
        try world.registry.makeInstitution("a-z.org")
        let response = try world.get("/api/v2/audit/heads/", as: world.admin)
        #expect(response.status == 200)
        let body = try response.jsonObject()
        #expect(response.text.hasPrefix(#"{"as_of":""#))
        #expect(Self.isAPITimestamp(body["as_of"]))
        let heads = try #require(body["heads"] as? [[String: Any]])
        #expect(heads.map { $0["institution"] as? String } == ["a-z.org", "aptrust.org", "other.org", "test.edu"])
        var text = ""
        for head in heads {
            let institution = head["institution"] as? String ?? ""
            let stored = institution == "a-z.org" || institution == "aptrust.org"
                ? "\(Self.zeros)@0" : try world.registry.recordedHead(institution)
            let parts = stored.split(separator: "@")
            #expect(head["chain_hash"] as? String == String(parts[0]))
            #expect(head["sequence"] as? Int == Int(parts[1]))
            text += "\(institution) \(parts[1]) \(parts[0])\n"
        }
        #expect(body["combined_hash"] as? String == SHA256.hex(text))
        #expect(response.text.range(of: #","combined_hash":"[0-9a-f]{64}"\}$"#, options: .regularExpression) != nil)
        // Admin only, and not in the member API.
        for caller in [world.instAdmin, world.instUser] {
            let denied = try world.get("/api/v2/audit/heads", as: caller)
            #expect(denied.status == 403)
            #expect(denied.text == #"{"status":"error","message":"you are not authorized to do this"}"#)
        }
        #expect(try world.get("/member-api/v2/audit/heads", as: world.admin).status == 404)
        #expect(try world.get("/api/v2/audit/heads?institution=test.edu", as: world.admin).status == 400)
    }
}
