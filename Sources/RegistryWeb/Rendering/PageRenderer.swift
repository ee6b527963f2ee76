import Formats
import HTTPServer
import Mustache
import Postgres
import RegistryCore
import Routing

/// One HTML page to render: a template from `Templates/` and the values it shows.
struct Page {
    /// The page name in `<title>` (`<title> — Registry`, WEB-20) — unique per page.
    var title: String
    var template: String
    var context: [String: Any]
    var status: Int

    init(_ title: String, template: String, status: Int = 200, _ context: [String: Any] = [:]) {
        self.title = title
        self.template = template
        self.status = status
        self.context = context
    }
}

/// What surrounds every page's content: who is signed in, the navigation, the notice.
struct PageChrome {
    var user: [String: Any]?
    var navigation: [[String: Any]]
    var notice: String?
    /// Shown in the footer (WEB-26: the 500 page names it); nil before a request id exists.
    var requestID: String?
}

/// Renders pages from the templates compiled into the binary (EmbeddedTemplates). Mustache's
/// `{{x}}` HTML-escapes every value (WEB-18); `{{{x}}}` is used only for HTML the templates
/// themselves produced (the page body inside the layout).
struct PageRenderer: Sendable {
    private let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        for file in EmbeddedTemplates.files where file.name.hasSuffix(".mustache") {
            // Without the file's final newline, so partials add no stray whitespace where they are used.
            let text = file.text.hasSuffix("\n") ? String(file.text.dropLast()) : file.text
            try library.register(text, named: String(file.name.dropLast(".mustache".count)))
        }
        self.library = library
    }

    /// The whole document: the page's template inside `layout`.
    func render(_ page: Page, chrome: PageChrome) -> [UInt8] {
        let content = library.render(page.context, withTemplate: page.template) ?? ""
        var layout: [String: Any] = [
            "title": page.title,
            "content": content,
            "navigation": chrome.navigation,
        ]
        if let requestID = chrome.requestID { layout["request_id"] = requestID }
        if let user = chrome.user { layout["user"] = user }
        if let notice = chrome.notice { layout["notice"] = notice }
        return Array((library.render(layout, withTemplate: "layout") ?? "").utf8)
    }
}
