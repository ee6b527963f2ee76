import Foundation
import Testing
import TestSupport

@Suite("HTML: alerts and dashboard")
struct WebAlertTests {
    @Test("§4, §8.8: /alerts for admins (all) and inst admins (own), five sections with counts, since 24h/7d/30d; dashboard figures")
    func alertsAndDashboard() throws {
        let world = try WebWorld.start()
        let data = try WebFixtures.load(into: world)  // one failed fixity check on test.edu, two failed ingests
        // A failure from last week and a stalled item.
        try world.registry.sql().query("UPDATE work_items SET updated_at = now() - interval '3 days' WHERE id = $1::bigint",
                                       [String(data.ownItem)])
        let stalled = try WebFixtures.item(world.registry, institution: "test.edu", object: data.ownObject, status: "Pending")
        try world.registry.sql().query("UPDATE work_items SET queued_at = now() - interval '13 hours' WHERE id = $1::bigint",
                                       [String(stalled)])

        let own = try world.instAdmin.get("/alerts")
        #expect(own.status == 200)
        #expect(own.text.contains(#"<h2 id="alert-failedFixity">Failed fixity checks (1)</h2>"#))
        #expect(own.text.contains(#"<h2 id="alert-failedIngests">Failed ingests (0)</h2>"#))  // 3 days ago
        #expect(own.text.contains(#"<h2 id="alert-stalledWorkItems">Stalled work items (1)</h2>"#))
        #expect(try world.instAdmin.get("/alerts?since=7d").text.contains("Failed ingests (1)"))
        let other = try world.otherAdmin.get("/alerts?since=30d")
        #expect(other.text.contains("Failed fixity checks (0)") && other.text.contains("Failed ingests (1)"))
        let all = try world.admin.get("/alerts?since=30d")
        #expect(all.text.contains("Failed fixity checks (1)") && all.text.contains("Failed ingests (2)"))
        #expect(try world.instAdmin.get("/alerts?since=1y").status == 400)
        #expect(try world.instUser.get("/alerts").status == 403)

        // The dashboard: own figures, the alert summary for admins and inst admins only.
        let dashboard = try world.instAdmin.get("/")
        #expect(dashboard.text.contains("Alerts in the last 24 hours"))
        #expect(dashboard.text.contains(#"<span class="figure">1</span> <a href="/alerts#alert-failedFixity">"#))
        #expect(dashboard.text.contains(#"<span class="figure">2</span> <a href="/objects">Active objects</a>"#))
        #expect(!(try world.instUser.get("/")).text.contains("Alerts in the last 24 hours"))
        let userDashboard = try world.instUser.get("/")
        #expect(userDashboard.text.contains(#"<span class="figure">1</span> <a href="/objects">Active objects</a>"#))  // DOM-93
        let chosen = try world.admin.get("/?institution=example.org")
        #expect(chosen.text.contains("Figures for example.org.") && chosen.text.contains(#"<span class="figure">2</span> <a href="/objects?institution=example.org">"#))
        #expect(try world.admin.get("/?institution=nowhere.org").status == 404)
        #expect(try world.instAdmin.get("/?institution=test.edu").status == 400)
    }
}
