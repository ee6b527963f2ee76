import Foundation
import Testing
import TestSupport

/// A registry with `aptrust.org` (the admin service account's institution), `test.edu` and
/// `other.edu`, one user of every role, and request helpers that send what the workers and cron
/// scripts send (API-key headers, JSON bodies, trailing slashes). Shared by the alert, notification
/// and report tests.
struct AlertWorld {
    let registry: TestRegistry
    let admin: TestRegistry.Credentials
    let instAdmin: TestRegistry.Credentials
    let instUser: TestRegistry.Credentials
    /// An institutional admin of `other.edu`.
    let otherAdmin: TestRegistry.Credentials
    let testEduID: Int64
    let otherEduID: Int64

    static func start(environment: [String: String] = [:]) throws -> AlertWorld {
        let registry = try TestRegistry.start(environment: environment)
        try registry.makeInstitution("aptrust.org")
        let testEduID = try registry.makeInstitution("test.edu")
        let otherEduID = try registry.makeInstitution("other.edu")
        return AlertWorld(
            registry: registry,
            admin: try registry.makeUser("system@aptrust.org", role: "admin", institution: "aptrust.org"),
            instAdmin: try registry.makeUser("admin@test.edu", role: "institutional_admin", institution: "test.edu"),
            instUser: try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu"),
            otherAdmin: try registry.makeUser("admin@other.edu", role: "institutional_admin", institution: "other.edu"),
            testEduID: testEduID, otherEduID: otherEduID)
    }

    /// One request on a fresh connection (some refusals close the connection), as `caller`.
    @discardableResult
    func send(_ method: String, _ path: String, as caller: TestRegistry.Credentials? = nil, json: Any? = nil,
              body: [UInt8]? = nil, headers extra: [(name: String, value: String)] = []) throws -> TestHTTPResponse {
        var headers = (caller ?? admin).headers + extra
        var bytes = body
        if let json {
            bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed, .withoutEscapingSlashes]))
            headers.append(("Content-Type", "application/json"))
        }
        return try registry.client(receiveTimeout: 60).request(method: method, path: path, headers: headers, body: bytes)
    }

    @discardableResult
    func sql(_ text: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try registry.sql().query(text, parameters)
    }

    func scalar(_ text: String, _ parameters: [String?] = []) throws -> String? {
        try registry.sql().scalar(text, parameters)
    }

    func count(_ table: String) throws -> Int {
        Int(try scalar("SELECT count(*) FROM \(table)") ?? "") ?? -1
    }

    /// `fixity check` events appended through the product's EventStore (their `created_at` is now).
    @discardableResult
    func fixityEvents(_ outcomes: [String], file: String) throws -> [String] {
        let parts = file.split(separator: "/", maxSplits: 2)
        let events = outcomes.map { outcome in
            TestRegistry.TestEvent(eventType: "fixity check", dateTime: "2024-06-01T00:00:00Z", detail: "Fixity check",
                                   outcome: outcome, outcomeDetail: "sha256:abc", objectIdentifier: "\(parts[0])/\(parts[1])",
                                   fileIdentifier: file)
        }
        try registry.appendEvents(events)
        return events.map(\.identifier)
    }

    /// An object and one file under it (SQL; their routes are tested elsewhere).
    func objectWithFile(_ file: String, access: String = "institution") throws {
        let parts = file.split(separator: "/", maxSplits: 2)
        try registry.makeObject("\(parts[0])/\(parts[1])", access: access)
        try registry.makeFile(file)
    }
}

extension TestHTTPResponse {
    /// The `id`s of a JSON array of objects under `key`.
    func ids(_ key: String) throws -> [Int] {
        ((try jsonObject()[key] as? [[String: Any]]) ?? []).compactMap { $0["id"] as? Int }
    }
}
