import Foundation
import TestSupport

/// A registry with two institutions and one user of every role, and helpers that call the work item
/// routes the way the workers do (JSON bodies, trailing slashes, API-key headers).
struct WorkItemFixture {
    let registry: TestRegistry
    let client: RawHTTPClient
    /// The workers' service account (role `admin`, institution `aptrust.org`).
    let admin: TestRegistry.Credentials
    let instAdmin: TestRegistry.Credentials
    let instUser: TestRegistry.Credentials
    /// An institutional admin of `other.edu`.
    let otherAdmin: TestRegistry.Credentials
    let testEduID: Int64
    let otherEduID: Int64

    static func start(environment: [String: String] = [:]) throws -> WorkItemFixture {
        let registry = try TestRegistry.start(environment: environment)
        try registry.makeInstitution("aptrust.org")
        let testEduID = try registry.makeInstitution("test.edu")
        let otherEduID = try registry.makeInstitution("other.edu")
        return WorkItemFixture(
            registry: registry, client: try registry.client(),
            admin: try registry.makeUser("system@aptrust.org", role: "admin", institution: "aptrust.org"),
            instAdmin: try registry.makeUser("admin@test.edu", role: "institutional_admin", institution: "test.edu"),
            instUser: try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu"),
            otherAdmin: try registry.makeUser("admin@other.edu", role: "institutional_admin", institution: "other.edu"),
            testEduID: testEduID, otherEduID: otherEduID)
    }

    /// The same fixture on a new connection (after a response that closes the old one, e.g. 413).
    func reconnected(receiveTimeout: TimeInterval = 10) throws -> WorkItemFixture {
        WorkItemFixture(registry: registry, client: try registry.client(receiveTimeout: receiveTimeout), admin: admin, instAdmin: instAdmin,
                        instUser: instUser, otherAdmin: otherAdmin, testEduID: testEduID, otherEduID: otherEduID)
    }

    /// A request with a JSON body (any JSONSerialization value), or a raw body, as `caller`.
    @discardableResult
    func send(_ method: String, _ path: String, as caller: TestRegistry.Credentials? = nil, json: Any? = nil,
              body: [UInt8]? = nil) throws -> TestHTTPResponse {
        var headers = (caller ?? admin).headers
        var bytes = body
        if let json {
            bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
        }
        if bytes != nil { headers.append(("Content-Type", "application/json")) }
        return try client.request(method: method, path: path, headers: headers, body: bytes)
    }

    /// A complete Ingest item as the bucket reader sends it (API-106), with `overrides` applied.
    func ingestItem(_ name: String = "bag1.tar", etag: String = "etag-1", _ overrides: [String: Any] = [:]) -> [String: Any] {
        var item: [String: Any] = [
            "name": name, "etag": etag, "bag_date": "2024-05-01T13:02:03.123456789Z", "bucket": "aptrust.receiving.test.edu",
            "institution_id": testEduID, "note": "Item is in receiving bucket", "action": "Ingest", "stage": "Receive",
            "status": "Pending", "outcome": "Item is pending ingest", "retry": true, "user": "system@aptrust.org",
            // What a Go client sends for unset fields: zero ids, zero times, empty strings.
            "id": 0, "intellectual_object_id": 0, "generic_file_id": 0, "object_identifier": "",
            "generic_file_identifier": "", "node": "", "pid": 0, "queued_at": "0001-01-01T00:00:00Z",
            "stage_started_at": "0001-01-01T00:00:00Z", "needs_admin_review": false, "size": 1234,
            "created_at": "0001-01-01T00:00:00Z", "updated_at": "0001-01-01T00:00:00Z", "work_item_state_id": NSNull(),
        ]
        for (key, value) in overrides { item[key] = value }
        return item
    }

    /// POSTs `item` and returns the created representation (fails the caller's test on a non-201).
    func create(_ item: [String: Any]) throws -> [String: Any] {
        let response = try send("POST", "/api/v2/items/", json: item)
        guard response.status == 201 else {
            throw FixtureError("POST /items answered \(response.status): \(response.text)")
        }
        return try response.jsonObject()
    }

    /// The item as an admin sees it.
    func show(_ id: Int) throws -> [String: Any] {
        try send("GET", "/api/v2/items/\(id)/").jsonObject()
    }

    /// Direct SQL, one value.
    func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try registry.sql().scalar(sql, parameters)
    }
}

struct FixtureError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// JSON `null` as JSONSerialization returns it.
func isNull(_ value: Any?) -> Bool {
    value is NSNull
}

/// The first error message for `field` of a 422 body.
func fieldError(_ response: TestHTTPResponse, _ field: String) -> String? {
    guard let object = try? response.jsonObject(), let errors = object["errors"] as? [String: [String]] else { return nil }
    return errors[field]?.first
}
