import Foundation
import Testing
import TestSupport

@Suite("HTML: static files")
struct WebStaticTests {
    @Test("WEB-24: /static/app.css (≤ 30 KiB, text/css, cached a day); traversal and unknown names are 404")
    func staticFiles() throws {
        let registry = try TestRegistry.start()
        let client = try registry.client()
        let css = try client.request(method: "GET", path: "/static/app.css")
        #expect(css.status == 200)
        #expect(css.headers["Content-Type"] == "text/css; charset=utf-8")
        #expect(css.headers["Cache-Control"] == "public, max-age=86400")
        #expect(css.body.count <= 30 * 1024 && css.body.count > 1000)
        #expect(!css.text.contains("@import") && !css.text.contains("url(http"))  // no external fonts or CDNs
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let onDisk = try Data(contentsOf: repository.appendingPathComponent("public/app.css"))
        #expect([UInt8](onDisk) == css.body)

        for path in ["/static/../x", "/static/..%2fapp.css", "/static/%2e%2e", "/static/%2e%2e/etc/passwd",
                     "/static/%2E%2E%2FPackage.swift", "/static/nope.css", "/static/app.css/x", "/static/.%2e/app.css"] {
            let response = try registry.client().request(method: "GET", path: path)
            #expect(response.status == 404, "\(path)")
            #expect(!response.text.contains("body {"), "\(path)")
        }
        // No session is needed for static files (WEB-10).
        #expect(try registry.client().request(method: "HEAD", path: "/static/app.css").status == 200)
    }
}
