import Formats
import HTTPServer
import Postgres
import RegistryCore
import Routing

/// The main navigation: only what the caller may use is shown (html.md: a page the caller may not
/// use is not shown).
enum Navigation {
    static func items(for caller: Caller?, currentPath: Substring) -> [[String: Any]] {
        guard let caller else {
            return [item("Sign in", "/login", currentPath), item("Forgot password", "/password/forgot", currentPath)]
        }
        var items = [
            item("Dashboard", "/", currentPath),
            item("Objects", "/objects", currentPath),
            item("Events", "/events", currentPath),
            item("Work items", "/items", currentPath),
            item("Deletions", "/deletions", currentPath),
        ]
        if caller.role != .institutionalUser {
            items.append(item("Alerts", "/alerts", currentPath))
            items.append(item("Users", "/users", currentPath))
        }
        items.append(item("Institutions", "/institutions", currentPath))
        items.append(item("Account", "/account", currentPath))
        return items
    }

    private static func item(_ label: String, _ href: String, _ currentPath: Substring) -> [String: Any] {
        let current = href == "/" ? currentPath == "/" : (currentPath == href || currentPath.hasPrefix(href + "/"))
        return ["label": label, "href": href, "current": current]
    }
}
