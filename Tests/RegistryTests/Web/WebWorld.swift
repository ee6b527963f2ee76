import Foundation
import TestSupport

/// A registry with three institutions and a signed-in browser per role, for the HTML view's tests:
/// `test.edu` (an admin, an inst admin, an inst user), `example.org` (an inst admin) and the
/// APTrust admin at `aptrust.org`.
struct WebWorld {
    let registry: TestRegistry
    let admin: WebBrowser
    let instAdmin: WebBrowser
    let instUser: WebBrowser
    let otherAdmin: WebBrowser
    let anonymous: WebBrowser
    let adminCredentials: TestRegistry.Credentials
    let instAdminCredentials: TestRegistry.Credentials
    let instUserCredentials: TestRegistry.Credentials
    let otherAdminCredentials: TestRegistry.Credentials

    static let password = "correct horse battery staple"

    static func start(environment: [String: String] = [:]) throws -> WebWorld {
        let registry = try TestRegistry.start(environment: environment)
        try registry.makeInstitution("aptrust.org")
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("example.org")
        let admin = try registry.signedIn("admin@aptrust.org", role: "admin", institution: "aptrust.org")
        let instAdmin = try registry.signedIn("admin@test.edu", role: "institutional_admin", institution: "test.edu")
        let instUser = try registry.signedIn("user@test.edu", role: "institutional_user", institution: "test.edu")
        let otherAdmin = try registry.signedIn("admin@example.org", role: "institutional_admin", institution: "example.org")
        return WebWorld(registry: registry, admin: admin.browser, instAdmin: instAdmin.browser, instUser: instUser.browser,
                        otherAdmin: otherAdmin.browser, anonymous: WebBrowser(registry),
                        adminCredentials: admin.credentials, instAdminCredentials: instAdmin.credentials,
                        instUserCredentials: instUser.credentials, otherAdminCredentials: otherAdmin.credentials)
    }

    /// One value from the database (first row, first column).
    func value(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try registry.sql().query(sql, parameters).first?.first ?? nil
    }

    func count(_ sql: String, _ parameters: [String?] = []) throws -> Int {
        Int(try value(sql, parameters) ?? "0") ?? 0
    }
}

/// Percent-encoding as the server writes links (every byte except `A–Z a–z 0–9 - _ . ~`).
func encoded(_ identifier: String) -> String {
    var allowed = CharacterSet()
    allowed.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
    return identifier.addingPercentEncoding(withAllowedCharacters: allowed) ?? identifier
}
