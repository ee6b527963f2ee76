import Foundation
import Testing
import TestSupport

/// An API request leases one primary connection for authentication and its handler
/// (ConnectionLease). A handler that asked the pool for a second one while the lease holds the first
/// would wait for itself on a pool of one: every such route is exercised here with DB_POOL_SIZE=1.
@Suite("API requests need one database connection")
struct OneConnectionPerRequestTests {
    @Test("with DB_POOL_SIZE=1, reads, snapshot reads, member-API reads and writes answer at once")
    func poolOfOneServesEveryKindOfRequest() throws {
        let world = try FileTestWorld.start(environment: ["DB_POOL_SIZE": "1", "DB_ACQUIRE_TIMEOUT_MS": "1000"])
        let objectID = try world.makeObject("test.edu/bag")
        try FileShowTests.createFile(world, "test.edu/bag/data/a.txt", objectID: objectID, object: "test.edu/bag")
        let file = "test.edu%2Fbag%2Fdata%2Fa.txt"
        let requests = [
            ("GET", "/api/v2/objects/test.edu%2Fbag"),
            ("GET", "/api/v2/files/\(file)/fixity"),  // a REPEATABLE READ snapshot after the lookup
            ("GET", "/member-api/v2/files/\(file)/fixity"),  // replica route, primary fallback
            ("GET", "/member-api/v2/objects/test.edu%2Fbag"),
            ("GET", "/api/v2/events/?object_identifier=test.edu%2Fbag"),
        ]
        for (method, path) in requests {
            let start = Date()
            let response = try world.request(method, path)
            let seconds = Date().timeIntervalSince(start)
            #expect(response.status == 200, "\(path): \(response.text.prefix(200))")
            // A second connection would wait the whole acquire timeout (1 s) and answer 503.
            #expect(seconds < 0.9, "\(path) took \(seconds) s")
        }
        let user = try world.registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
        let forbidden = try world.request("POST", "/api/v2/items/", json: [String: Any](), as: user)
        #expect(forbidden.status == 403, "the denial's audit row goes through the same lease")
    }
}
