import Foundation
import Testing
import TestSupport

@Suite("HTML: every page, allowed and not")
struct WebPageAccessTests {
    @Test("DOM-96a, §7.2: each page for each role — 200, 403 for a visible record or none, 404 for an invisible one; anonymous → login")
    func pageMatrix() throws {
        let world = try WebWorld.start()
        let data = try WebFixtures.load(into: world)
        let user = world.instUserCredentials.userID, instAdmin = world.instAdminCredentials.userID
        let admin = world.adminCredentials.userID
        let deletion = try #require(try world.registry.sql().query("""
            INSERT INTO deletion_requests (institution_id, kind, requested_by_id, token_expires_at)
            VALUES ((SELECT id FROM institutions WHERE identifier = 'test.edu'), 'object', $1::bigint, now() + interval '1 day')
            RETURNING id
            """, [String(world.instAdminCredentials.userID)]).first?.first ?? nil)
        // Expected statuses for: admin, inst admin, inst user, other institution's inst admin.
        let matrix: [(String, [Int])] = [
            ("/", [200, 200, 200, 200]),
            ("/objects", [200, 200, 200, 200]),
            ("/objects/" + encoded(data.ownObject), [200, 200, 200, 404]),
            ("/objects/" + encoded(data.restrictedObject), [200, 200, 404, 404]),
            ("/objects/" + encoded(data.otherObject), [200, 404, 404, 200]),
            ("/objects/" + encoded(data.sharedObject), [200, 200, 200, 200]),
            ("/objects/test.edu/bag-inst", [200, 200, 200, 404]),  // API-6: unescaped
            ("/objects/" + encoded("test.edu/no-such-bag"), [404, 404, 404, 404]),
            ("/files/" + encoded(WebFixtures.quoteFile), [200, 200, 200, 404]),
            ("/files/" + encoded(data.restrictedFile), [200, 200, 404, 404]),
            ("/files/" + encoded(data.sharedFile), [200, 200, 200, 200]),
            ("/events", [200, 200, 200, 200]),
            ("/events/" + data.ownEvent, [200, 200, 200, 404]),
            ("/events/" + data.otherEvent, [200, 404, 404, 200]),
            ("/events/" + data.sharedEvent, [200, 200, 200, 200]),
            ("/items", [200, 200, 200, 200]),
            ("/items/\(data.ownItem)", [200, 200, 200, 404]),
            ("/items/\(data.ownItem)/state", [200, 403, 403, 404]),
            ("/items/\(data.otherItem)", [200, 404, 404, 200]),
            ("/objects/" + encoded(data.ownObject) + "/delete", [200, 200, 403, 404]),
            ("/files/" + encoded(WebFixtures.quoteFile) + "/delete", [200, 200, 403, 404]),
            ("/deletions", [200, 200, 200, 200]),
            ("/deletions/\(deletion)", [200, 200, 200, 404]),
            ("/deletions/999999", [404, 404, 404, 404]),
            ("/alerts", [200, 200, 403, 200]),
            ("/alerts?since=30d", [200, 200, 403, 200]),
            ("/users", [200, 200, 403, 200]),
            ("/users/new", [200, 200, 403, 200]),
            ("/users/\(user)", [200, 200, 200, 404]),
            ("/users/\(instAdmin)", [200, 200, 404, 404]),
            ("/users/\(admin)", [200, 404, 404, 404]),
            ("/institutions", [200, 200, 200, 200]),
            ("/institutions/test.edu", [200, 200, 200, 404]),
            ("/institutions/new", [200, 403, 403, 403]),
            ("/institutions/test.edu/edit", [200, 403, 403, 404]),
            ("/account", [200, 200, 200, 200]),
            ("/account/password", [200, 200, 200, 200]),
        ]
        let browsers = [world.admin, world.instAdmin, world.instUser, world.otherAdmin]
        var titles: [String: String] = [:]
        for (path, expected) in matrix {
            for (browser, status) in zip(browsers, expected) {
                let page = try browser.get(path)
                #expect(page.status == status, "\(path) as \(browsers.firstIndex { $0 === browser } ?? -1)")
                try PageChecks.document(page, path: path)
                if status == 404 { #expect(page.text.contains("not found")) }
                if browser === world.admin, status == 200, path != "/objects/test.edu/bag-inst", !path.contains("?"), let title = PageChecks.title(page.text) {
                    #expect(titles[title] == nil, "title \(title) of \(path) also used by \(titles[title] ?? "")")
                    titles[title] = path
                }
            }
            let anonymous = try world.anonymous.get(path)
            #expect(anonymous.status == 303, "\(path) anonymous")
            #expect(anonymous.headers["Location"]?.hasPrefix("/login?next=") == true)
        }
    }

    @Test("WEB-26: unknown pages and bad ids are HTML 404 pages; 405 carries Allow")
    func errorPages() throws {
        let world = try WebWorld.start()
        for path in ["/no/such/page", "/items/abc", "/users/12x"] {
            let page = try world.instAdmin.get(path)
            #expect(page.status == 404, "\(path)")
            #expect(page.headers["Content-Type"] == "text/html; charset=utf-8")
            #expect(page.text.contains("not found"))
            try PageChecks.document(page, path: path)
        }
        let wrongMethod = try world.instAdmin.post("/objects")
        #expect(wrongMethod.status == 405 && wrongMethod.headers["Allow"] == "GET, HEAD")
        try PageChecks.document(wrongMethod, path: "POST /objects")
    }
}

/// The document rules every HTML response must follow (html.md WEB-17, WEB-20).
enum PageChecks {
    static func document(_ page: TestHTTPResponse, path: String) throws {
        guard page.status != 303 else { return }
        let html = page.text
        #expect(page.headers["Content-Type"] == "text/html; charset=utf-8", "\(path)")
        #expect(page.headers["Content-Security-Policy"]
            == "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
        #expect(page.headers["X-Content-Type-Options"] == "nosniff")
        #expect(page.headers["Referrer-Policy"] == "same-origin")
        #expect(page.headers["X-Frame-Options"] == "DENY")
        #expect(page.headers["Cache-Control"] == "no-store", "\(path)")
        #expect(html.hasPrefix("<!doctype html>\n<html lang=\"en\">"), "\(path)")
        #expect(title(html)?.hasSuffix(" — Registry") == true, "\(path)")
        #expect(html.contains(#"<meta name="viewport" content="width=device-width, initial-scale=1">"#))
        for landmark in ["<header", "<nav", "<main", "<footer"] { #expect(html.contains(landmark), "\(path) lacks \(landmark)") }
        let body = html.components(separatedBy: "<body>").last ?? ""
        let firstFocusable = body.range(of: "<a ").map { body[$0.lowerBound...].prefix(60) } ?? ""
        #expect(firstFocusable.contains("Skip to main content") || firstFocusable.contains("href=\"#main\""), "\(path)")
        #expect(html.components(separatedBy: "<h1").count == 2, "\(path): exactly one h1")
        #expect(!html.contains("<script"), "\(path)")
        #expect(html.range(of: #"\sstyle="#, options: .regularExpression) == nil, "\(path)")
        #expect(html.range(of: #"<[^>]*\son[a-z]+="#, options: .regularExpression) == nil, "\(path)")
        // Headings in order without skipped levels.
        var level = 0
        let regex = try NSRegularExpression(pattern: "<h([1-6])")
        for match in regex.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let next = Int((html as NSString).substring(with: match.range(at: 1))) ?? 0
            #expect(next <= level + 1, "\(path): h\(next) after h\(level)")
            level = next
        }
        // WEB-21: every visible form control has a label.
        let controls = try NSRegularExpression(pattern: #"<(input|select|textarea)\b([^>]*)>"#)
        for match in controls.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let attributes = (html as NSString).substring(with: match.range(at: 2))
            if attributes.contains(#"type="hidden""#) { continue }
            guard let id = attributes.range(of: #"id="([^"]+)""#, options: .regularExpression).map({ attributes[$0].dropFirst(4).dropLast() })
            else {
                Issue.record("\(path): a form control without an id: \(attributes)")
                continue
            }
            #expect(html.contains(#"<label for="\#(id)""#), "\(path): no label for \(id)")
        }
    }

    static func title(_ html: String) -> String? {
        guard let start = html.range(of: "<title>"), let end = html.range(of: "</title>") else { return nil }
        return String(html[start.upperBound..<end.lowerBound])
    }
}
