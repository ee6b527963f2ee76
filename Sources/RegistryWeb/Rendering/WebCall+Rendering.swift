import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

extension WebCall {
    /// The page inside the layout, with the caller's navigation and any one-time notice (WEB-16).
    func render(_ page: Page, notice extra: String? = nil) -> HTTPResponse {
        let chrome = PageChrome(user: session.map(UserChrome.values),
                                navigation: Navigation.items(for: session?.caller, currentPath: request.head.path),
                                notice: extra ?? notice, requestID: request.requestID)
        return WebResponse.html(page.status, services.pages.render(page, chrome: chrome))
    }

    /// 303 to a GET page with a one-time notice there (WEB-16).
    mutating func redirect(to location: String, notice code: String? = nil, _ number: Int64? = nil) -> HTTPResponse {
        if let code {
            cookies.append(Cookies.setNotice(Notice.cookieValue(code, number), secure: settings.cookieSecure))
        }
        return WebResponse.redirect(to: location)
    }

    /// The signed-in user's CSRF token for the forms of a page (WEB-15).
    var csrfToken: String { session?.csrfToken ?? "" }
}
