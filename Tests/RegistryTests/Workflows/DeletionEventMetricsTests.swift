import Foundation
import Testing
import TestSupport

/// OPS-37: the object `deletion` events the server writes itself (DOM-122, DOM-125) count in
/// `registry_events_created_total` like events the workers post.
@Suite("Workflows: deletion events in /metrics")
struct DeletionEventMetricsTests {
    private static let deletionSeries = #"registry_events_created_total{event_type="deletion",outcome_class="success"}"#

    @Test("OPS-37, DOM-122: confirming the deletion of an object without files writes its deletion event and counts it")
    func confirmationCountsTheEvent() throws {
        let world = try WebWorld.start()
        let second = try world.registry.signedIn("admin2@test.edu", role: "institutional_admin", institution: "test.edu").browser
        try world.registry.makeObject("test.edu/empty", access: "institution")
        let requested = try world.instAdmin.post("/objects/" + encoded("test.edu/empty") + "/delete")
        #expect(requested.status == 303)
        let location = try #require(requested.headers["Location"])
        let id = String(location.dropFirst("/deletions/".count))
        #expect(try metricsText(world).contains(Self.deletionSeries) == false)

        let token = try WebWorkflowTests.token(world, type: "deletion_request")
        #expect(try second.post("/deletions/\(id)/confirm", [("token", token)]).status == 303)
        #expect(try world.value("SELECT state FROM intellectual_objects WHERE identifier = 'test.edu/empty'") == "D")
        #expect(try world.count("SELECT count(*) FROM premis_events WHERE event_type = 'deletion'") == 1)
        #expect(try metricsText(world).contains(Self.deletionSeries + " 1\n"))
    }

    private func metricsText(_ world: WebWorld) throws -> String {
        try world.registry.client().request(method: "GET", path: "/metrics").text
    }
}
