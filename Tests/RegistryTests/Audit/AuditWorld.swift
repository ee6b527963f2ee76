import Foundation
import TestSupport

/// A registry with two tenants and events at every access level, and a caller of every role.
///
/// test.edu: `bag1` (institution, 3 events), `open` (consortia, 2), `secret` (restricted, 2) →
/// chain 1…7 in that order. other.org: `obj` (institution, 1). aptrust.org: the admin's, no events.
struct AuditWorld {
    let registry: TestRegistry
    let admin: TestRegistry.Credentials
    let instAdmin: TestRegistry.Credentials
    let instUser: TestRegistry.Credentials
    let otherAdmin: TestRegistry.Credentials
    let otherUser: TestRegistry.Credentials

    static func start() throws -> AuditWorld {
        let registry = try TestRegistry.start()
        for institution in ["aptrust.org", "test.edu", "other.org"] { try registry.makeInstitution(institution) }
        try registry.makeObject("test.edu/bag1")
        try registry.makeObject("test.edu/open", access: "consortia")
        try registry.makeObject("test.edu/secret", access: "restricted")
        try registry.makeObject("other.org/obj")
        try registry.appendEvents(TestRegistry.events(3, object: "test.edu/bag1"))
        try registry.appendEvents(TestRegistry.events(2, object: "test.edu/open"))
        try registry.appendEvents(TestRegistry.events(2, object: "test.edu/secret"))
        try registry.appendEvents(TestRegistry.events(1, object: "other.org/obj"))
        return AuditWorld(
            registry: registry,
            admin: try registry.makeUser("admin@aptrust.org", role: "admin", institution: "aptrust.org"),
            instAdmin: try registry.makeUser("admin@test.edu", role: "institutional_admin", institution: "test.edu"),
            instUser: try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu"),
            otherAdmin: try registry.makeUser("admin@other.org", role: "institutional_admin", institution: "other.org"),
            otherUser: try registry.makeUser("user@other.org", role: "institutional_user", institution: "other.org"))
    }

    /// One request on a fresh connection, the way the workers send it (keep-alive, close).
    func get(_ path: String, as caller: TestRegistry.Credentials, method: String = "GET",
             headers extra: [(name: String, value: String)] = []) throws -> TestHTTPResponse {
        try registry.client(receiveTimeout: 30).request(
            method: method, path: path, headers: caller.headers + [("Connection", "keep-alive, close")] + extra)
    }

    /// The identifier of the event at `sequence` of `institution`.
    func event(_ institution: String, _ sequence: Int) throws -> String {
        try registry.eventIdentifier(institution, sequence)
    }
}
