import Foundation
import Testing
import TestSupport

/// html.md WEB-26: what the HTML view shows while the database is away (OPS-65 for the API).
@Suite("HTML: the 503 page when the database is unavailable")
struct WebOutagePageTests {
    @Test("WEB-26: database stopped → 503 HTML page 'try again shortly' with Retry-After, no internals; back to 200 after restart")
    func databaseStopped() throws {
        let cluster = try TestCluster.dedicated()
        defer { cluster.remove() }
        let registry = try TestRegistry.start(conninfo: try cluster.createDatabase(named: "web_outage"))
        try registry.makeInstitution("test.edu")
        let browser = try registry.signedIn("admin@test.edu", role: "institutional_admin", institution: "test.edu").browser
        #expect(try browser.get("/objects").status == 200)

        try cluster.stop()
        for path in ["/objects", "/"] {
            let page = try browser.get(path)
            #expect(page.status == 503, "\(path)")
            #expect(page.headers.values("Retry-After") == ["5"], "\(path)")
            #expect(page.headers["Content-Type"] == "text/html; charset=utf-8", "\(path)")
            #expect(page.text.hasPrefix("<!DOCTYPE html>") || page.text.hasPrefix("<!doctype html>"), "\(path)")
            #expect(page.text.contains("try again shortly"), "\(path)")
            // No internals: neither the libpq error nor a Swift type, file or stack frame.
            for leak in ["PGError", "connection to server", "could not connect", "Connection refused", ".swift",
                         "Sources/", "Fatal error"] {
                #expect(!page.text.contains(leak), "\(path) shows \(leak)")
            }
        }

        try cluster.start()
        var recovered = false
        for _ in 0..<50 where !recovered {
            recovered = (try? browser.get("/objects").status) == 200
            if !recovered { usleep(200_000) }
        }
        #expect(recovered)
        #expect(registry.isRunning)
    }
}
