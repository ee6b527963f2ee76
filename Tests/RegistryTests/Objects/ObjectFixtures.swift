import Foundation
import TestSupport

/// A registry with two institutions and a caller of every role, plus helpers for object tests.
/// Rows that a test needs but does not test (files, checksums, events) are written with SQL.
struct ObjectWorld {
    let registry: TestRegistry
    let admin: TestRegistry.Credentials
    let instAdmin: TestRegistry.Credentials
    let instUser: TestRegistry.Credentials
    let otherAdmin: TestRegistry.Credentials
    let testEduID: Int64
    let otherEduID: Int64

    /// - Parameter sameDatabaseAsReplica: also configure the server's own database as
    ///   `DATABASE_READ_URL`, so reads that OPS-67 sends to the replica can be told apart. Like a
    ///   real standby, that "replica" refuses writes (its sessions are read-only), so a write sent
    ///   to it fails the test instead of landing in the shared database.
    init(environment: [String: String] = [:], sameDatabaseAsReplica: Bool = false) throws {
        if sameDatabaseAsReplica {
            let conninfo = try TestPostgres.freshDatabase(prefix: "reg")
            var environment = environment
            environment["DATABASE_READ_URL"] = TestRegistry.url(fromConninfo: conninfo)
                + "&options=-c%20default_transaction_read_only%3Don"
            registry = try TestRegistry.start(environment: environment, conninfo: conninfo)
        } else {
            registry = try TestRegistry.start(environment: environment)
        }
        testEduID = try registry.makeInstitution("test.edu")
        otherEduID = try registry.makeInstitution("other.edu")
        admin = try registry.makeUser("admin@aptrust.org", role: "admin", institution: "test.edu")
        instAdmin = try registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
        instUser = try registry.makeUser("iu@test.edu", role: "institutional_user", institution: "test.edu")
        otherAdmin = try registry.makeUser("ia@other.edu", role: "institutional_admin", institution: "other.edu")
    }

    func client() throws -> RawHTTPClient { try registry.client(receiveTimeout: 60) }

    /// A request as the workers send it: JSON body, `Connection: keep-alive`.
    func send(_ method: String, _ path: String, as caller: TestRegistry.Credentials, json: Any? = nil,
              extraHeaders: [(name: String, value: String)] = []) throws -> TestHTTPResponse {
        var headers = caller.headers + extraHeaders
        var body: [UInt8]?
        if let json {
            body = Array(try JSONSerialization.data(withJSONObject: json, options: [.withoutEscapingSlashes]))
            headers.append(("Content-Type", "application/json"))
        }
        return try client().request(method: method, path: path, headers: headers, body: body)
    }

    func get(_ path: String, as caller: TestRegistry.Credentials? = nil) throws -> TestHTTPResponse {
        try send("GET", path, as: caller ?? admin)
    }

    /// `POST /api/v2/objects/{inst}` with a wrapped body; expects 201 and returns the object.
    @discardableResult
    func createObject(_ identifier: String, title: String = "A title", access: String = "institution",
                      extra: [String: Any] = [:]) throws -> [String: Any] {
        var record: [String: Any] = ["identifier": identifier, "title": title, "access": access]
        for (key, value) in extra { record[key] = value }
        let institution = String(identifier.prefix { $0 != "/" })
        let response = try send("POST", "/api/v2/objects/\(escape(institution))", as: admin,
                                json: ["intellectual_object": record])
        guard response.status == 201 else {
            throw ObjectTestFailure("create \(identifier): \(response.status) \(response.text)")
        }
        return try response.jsonObject()
    }

    func sql() throws -> TestSQLConnection { try registry.sql() }

    /// Sets timestamps and other columns directly (for sort and range tests).
    func setColumns(_ identifier: String, _ assignments: String) throws {
        try sql().query("UPDATE intellectual_objects SET \(assignments) WHERE identifier = $1", [identifier])
    }

    /// Inserts a file of the object (SQL), returns its id.
    @discardableResult
    func insertFile(objectIdentifier: String, path: String, format: String = "text/plain", state: String = "A",
                    size: Int64 = 10) throws -> Int64 {
        let rows = try sql().query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier,
                institution_id, file_format, uri, size, state, storage_option)
            SELECT $1 || '/' || $2, o.id, o.identifier, o.institution_id, $3, 'https://s3.example/' || md5($2), $4::bigint,
                $5, o.storage_option
            FROM intellectual_objects o WHERE o.identifier = $1
            RETURNING id
            """, [objectIdentifier, path, format, String(size), state])
        return Int64(rows[0][0] ?? "") ?? 0
    }

    /// Inserts a checksum of a file (SQL).
    func insertChecksum(fileID: Int64, algorithm: String = "sha256", datetime: String, digestSeed: String = "x") throws {
        try sql().query("""
            INSERT INTO checksums (generic_file_id, algorithm, datetime, digest)
            VALUES ($1::bigint, $2, $3::timestamptz,
                    CASE $2 WHEN 'md5' THEN md5($4) ELSE encode(sha256(convert_to($4, 'UTF8')), 'hex') END)
            """, [String(fileID), algorithm, datetime, digestSeed])
    }

    /// Inserts an event (SQL, with placeholder chain hashes: these tests only read events).
    func insertEvent(objectIdentifier: String, fileID: Int64? = nil, type: String = "ingestion",
                     dateTime: String) throws {
        try sql().query("""
            INSERT INTO premis_events (identifier, event_type, date_time, outcome, detail, outcome_detail, object, agent,
                intellectual_object_id, intellectual_object_identifier, generic_file_id, generic_file_identifier,
                institution_id, sequence, entry_hash, chain_hash)
            SELECT gen_random_uuid(), $2, $3::timestamptz, 'Success', 'detail', 'outcome detail', 'object', 'agent',
                o.id, o.identifier, f.id, f.identifier, o.institution_id,
                (SELECT coalesce(max(sequence), 0) + 1 FROM premis_events WHERE institution_id = o.institution_id),
                sha256('e'::bytea), sha256('c'::bytea)
            FROM intellectual_objects o LEFT JOIN generic_files f ON f.id = $4::bigint
            WHERE o.identifier = $1
            """, [objectIdentifier, type, dateTime, fileID.map(String.init)])
    }

    /// Audit rows of an action, oldest first: (resource_identifier, status, details as text).
    func auditRows(_ action: String) throws -> [[String?]] {
        try sql().query("SELECT resource_identifier, status::text, details::text, resource_type FROM audit_log WHERE action = $1 ORDER BY id",
                        [action])
    }
}

/// Percent-encodes every byte except `A–Z a–z 0–9 - _ . ~`, as the workers do (api-v2.md API-1).
func escape(_ text: String) -> String {
    var allowed = CharacterSet()
    allowed.insert(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

struct ObjectTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension TestHTTPResponse {
    /// The field errors of a 422 body.
    var fieldErrors: [String: [String]] {
        ((try? jsonObject())?["errors"] as? [String: [String]]) ?? [:]
    }
}
