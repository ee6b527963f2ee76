import Foundation
import TestSupport

/// A registry with three institutions and the people the deletion workflows involve, plus helpers
/// that call the routes the way the workers and depositor scripts do (percent-encoded identifiers,
/// trailing slashes, API-key headers) and read the database for assertions.
struct WorkflowWorld {
    let registry: TestRegistry
    let client: RawHTTPClient
    /// The workers' service account (role `admin`).
    let admin: TestRegistry.Credentials
    /// A second APTrust admin (DOM-132: an admin other than the requester approves).
    let admin2: TestRegistry.Credentials
    let instAdmin: TestRegistry.Credentials
    let instAdmin2: TestRegistry.Credentials
    let instUser: TestRegistry.Credentials
    /// The institutional admin of `other.edu`.
    let otherAdmin: TestRegistry.Credentials

    /// `secondInstAdmin: false` leaves `admin@test.edu` as the only inst admin of test.edu.
    static func start(secondInstAdmin: Bool = true, environment: [String: String] = [:],
                      conninfo: String? = nil) throws -> WorkflowWorld {
        let registry = try TestRegistry.start(environment: environment, conninfo: conninfo)
        try registry.makeInstitution("aptrust.org")
        try registry.makeInstitution("test.edu")
        try registry.makeInstitution("other.edu")
        let instAdmin2 = try registry.makeUser("admin2@test.edu", role: "institutional_admin", institution: "test.edu")
        if !secondInstAdmin {
            try registry.sql().query("UPDATE users SET deactivated_at = now() WHERE email = 'admin2@test.edu'")
        }
        return WorkflowWorld(
            registry: registry, client: try registry.client(),
            admin: try registry.makeUser("system@aptrust.org", role: "admin", institution: "aptrust.org"),
            admin2: try registry.makeUser("ops@aptrust.org", role: "admin", institution: "aptrust.org"),
            instAdmin: try registry.makeUser("admin@test.edu", role: "institutional_admin", institution: "test.edu"),
            instAdmin2: instAdmin2,
            instUser: try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu"),
            otherAdmin: try registry.makeUser("admin@other.edu", role: "institutional_admin", institution: "other.edu"))
    }

    // MARK: HTTP

    /// A request as `caller` with a JSON body (any JSONSerialization value) or raw bytes; a body gets
    /// `Content-Type: application/json`.
    @discardableResult
    func send(_ method: String, _ path: String, as caller: TestRegistry.Credentials, json: Any? = nil,
              body: [UInt8]? = nil, headers extra: [(name: String, value: String)] = []) throws -> TestHTTPResponse {
        var headers = caller.headers + extra
        var bytes = body
        if let json { bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed])) }
        if bytes != nil && !extra.contains(where: { $0.name.lowercased() == "content-type" }) {
            headers.append(("Content-Type", "application/json"))
        }
        return try client.request(method: method, path: path, headers: headers, body: bytes)
    }

    /// One request the way the Go workers send it: a fresh connection with `Connection: keep-alive, close`.
    @discardableResult
    func sendAsWorker(_ method: String, _ path: String, as caller: TestRegistry.Credentials,
                      json: Any? = nil) throws -> TestHTTPResponse {
        var headers = caller.headers + [("Connection", "keep-alive, close")]
        var bytes: [UInt8]?
        if let json {
            bytes = Array(try JSONSerialization.data(withJSONObject: json, options: [.fragmentsAllowed]))
            headers.append(("Content-Type", "application/json"))
        }
        let connection = try registry.client()
        defer { connection.close() }
        return try connection.request(method: method, path: path, headers: headers, body: bytes)
    }

    /// The workers' percent-encoding of an identifier (every byte but `A–Z a–z 0–9 - _ . ~`).
    static func encode(_ identifier: String) -> String {
        identifier.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn:
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")) ?? identifier
    }

    // MARK: SQL

    func scalar(_ sql: String, _ parameters: [String?] = []) throws -> String? {
        try registry.sql().scalar(sql, parameters)
    }

    @discardableResult
    func rows(_ sql: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try registry.sql().query(sql, parameters)
    }

    func count(_ sql: String, _ parameters: [String?] = []) throws -> Int {
        Int(try scalar(sql, parameters) ?? "") ?? -1
    }

    // MARK: Fixtures

    struct Ingested {
        let id: Int64
        let identifier: String
        let files: [String]
    }

    /// An object as an ingest leaves it: active files `data/file001.txt`… sized 1, 2, 3 …, a primary
    /// storage record each, DOM-70 counts, an object-level and one file-level `ingestion` event per
    /// file (through the product's EventStore), and — unless `ingestItem` is false — the finished
    /// `Ingest` work item (Cleanup/Success) that is its last ingested version (DOM-78).
    @discardableResult
    func ingestedObject(_ bag: String, files: Int, institution: String = "test.edu", access: String = "institution",
                        storageOption: String = "Standard", etag: String? = nil, ingestItem: Bool = true,
                        events: Bool = true, bagName: String? = nil) throws -> Ingested {
        let identifier = "\(institution)/\(bag)"
        let sql = try registry.sql()
        let objectID = try sql.scalar("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access, storage_option, etag)
            VALUES ($1, $7, (SELECT id FROM institutions WHERE identifier = $3), 'Title of ' || $2, $4, $5, $6)
            RETURNING id
            """, [identifier, bag, institution, access, storageOption, etag, bagName ?? bag]) ?? "0"
        try sql.query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size, storage_option)
            SELECT o.identifier || '/data/file' || lpad(n::text, 3, '0') || '.txt', o.id, o.identifier, o.institution_id,
                   'text/plain', 'https://s3.example.org/preservation/' || md5(o.identifier || n), n, o.storage_option
            FROM intellectual_objects o, generate_series(1, $2::int) n WHERE o.id = $1::bigint
            """, [objectID, String(files)])
        try sql.query("""
            INSERT INTO storage_records (generic_file_id, url, kind)
            SELECT id, uri, 'primary' FROM generic_files WHERE intellectual_object_id = $1::bigint
            """, [objectID])
        try sql.query("""
            UPDATE intellectual_objects SET
                file_count = (SELECT count(*) FROM generic_files WHERE intellectual_object_id = $1::bigint),
                file_size = (SELECT coalesce(sum(size), 0) FROM generic_files WHERE intellectual_object_id = $1::bigint)
            WHERE id = $1::bigint
            """, [objectID])
        let fileIdentifiers = try sql.query(
            "SELECT identifier FROM generic_files WHERE intellectual_object_id = $1::bigint ORDER BY identifier",
            [objectID]).compactMap { $0[0] }
        if ingestItem {
            try sql.query("""
                INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, note, outcome, action, stage,
                                        status, object_identifier, intellectual_object_id, size, date)
                VALUES ($1 || '.tar', 'ingest-etag-' || $1, '2024-04-30T10:00:00Z', 'aptrust.receiving.' || $2, 'system@aptrust.org',
                        (SELECT id FROM institutions WHERE identifier = $2), 'Item was successfully ingested',
                        'Item was successfully ingested', 'Ingest', 'Cleanup', 'Success', $3, $4::bigint, 1234,
                        '2024-05-01T12:00:00Z')
                """, [bag, institution, identifier, objectID])
        }
        if events {
            var list = [TestRegistry.TestEvent(dateTime: "2024-05-01T13:02:03.123456Z", objectIdentifier: identifier)]
            for file in fileIdentifiers {
                list.append(TestRegistry.TestEvent(dateTime: "2024-05-01T13:02:03.123456Z", detail: "File ingested",
                                                   objectIdentifier: identifier, fileIdentifier: file))
            }
            try registry.appendEvents(list)
        }
        return Ingested(id: Int64(objectID) ?? 0, identifier: identifier, files: fileIdentifiers)
    }

    // MARK: Deletion helpers

    /// The request id from `Location: /api/v2/deletions/{id}`.
    static func requestID(_ response: TestHTTPResponse) -> Int64? {
        guard let location = response.headers.values("Location").first,
              location.hasPrefix("/api/v2/deletions/") else { return nil }
        return Int64(location.dropFirst("/api/v2/deletions/".count))
    }

    /// The plaintext token of the newest notification of `type` for the request, read from its body
    /// exactly as the e-mail would carry it.
    func token(request id: Int64, type: String) throws -> String {
        let body = try scalar("""
            SELECT body FROM notifications WHERE deletion_request_id = $1::bigint AND notification_type = $2
            ORDER BY id DESC LIMIT 1
            """, [String(id), type]) ?? ""
        guard let range = body.range(of: #"token=[0-9a-f]{64}"#, options: .regularExpression) else { return "" }
        return String(body[range].dropFirst("token=".count))
    }

    /// Requests deletion of an object as `caller` and returns the request id (nil unless 204).
    func requestObjectDeletion(_ identifier: String, as caller: TestRegistry.Credentials) throws -> Int64? {
        let response = try send("DELETE", "/api/v2/objects/\(Self.encode(identifier))/delete", as: caller)
        return response.status == 204 ? Self.requestID(response) : nil
    }

    /// Everything a refused workflow step must leave unchanged: requests (status, token), notifications,
    /// work items, audit rows (except the rate-limited `authz.denied` rows a 403 writes, DOM-83),
    /// events and chain heads, object and file states and counts, current storage records.
    func snapshot() throws -> [String?] {
        try rows("""
            SELECT (SELECT string_agg(id || ':' || status || ':' || coalesce(token_hash, '-'), ',' ORDER BY id)
                    FROM deletion_requests),
                   (SELECT count(*) FROM notifications)::text,
                   (SELECT string_agg(id || ':' || status || ':' || stage, ',' ORDER BY id) FROM work_items),
                   (SELECT count(*) FROM audit_log WHERE action <> 'authz.denied')::text,
                   (SELECT count(*) FROM premis_events)::text,
                   (SELECT string_agg(institution_id || ':' || sequence, ',' ORDER BY institution_id) FROM event_chain_heads),
                   (SELECT string_agg(id || ':' || state || ':' || file_count || ':' || file_size, ',' ORDER BY id)
                    FROM intellectual_objects),
                   (SELECT string_agg(id || ':' || state, ',' ORDER BY id) FROM generic_files),
                   (SELECT count(*) FROM storage_records WHERE superseded_at IS NULL)::text
            """)[0]
    }
}
