import Foundation
import Testing
import TestSupport

/// A running registry with one institution `test.edu`, an admin service account, and helpers that
/// build bodies and paths exactly as the workers send them (api-v2.md §12).
struct FileTestWorld {
    let registry: TestRegistry
    let admin: TestRegistry.Credentials
    let institutionID: Int64

    static func start(environment: [String: String] = [:]) throws -> FileTestWorld {
        let registry = try TestRegistry.start(environment: environment)
        let institutionID = try registry.makeInstitution("test.edu")
        let admin = try registry.makeUser("system@aptrust.org", role: "admin", institution: "test.edu")
        return FileTestWorld(registry: registry, admin: admin, institutionID: institutionID)
    }

    /// An object written straight into the database (object routes belong to another slice).
    @discardableResult
    func makeObject(_ identifier: String, access: String = "institution", state: String = "A",
                    storageOption: String = "Standard") throws -> Int64 {
        let institution = String(identifier.split(separator: "/")[0])
        let rows = try registry.sql().query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access, state, storage_option)
            VALUES ($1, split_part($1, '/', 2), (SELECT id FROM institutions WHERE identifier = $2), 'Title', $3, $4, $5)
            RETURNING id
            """, [identifier, institution, access, state, storageOption])
        return Int64(rows[0][0] ?? "0") ?? 0
    }

    func sql(_ text: String, _ parameters: [String?] = []) throws -> [[String?]] {
        try registry.sql().query(text, parameters)
    }

    func scalar(_ text: String, _ parameters: [String?] = []) throws -> String? {
        try registry.sql().scalar(text, parameters)
    }

    /// Row counts of every table a file write touches.
    func tableCounts() throws -> [String: String] {
        var counts: [String: String] = [:]
        for table in ["generic_files", "checksums", "premis_events", "storage_records", "audit_log"] {
            counts[table] = try scalar("SELECT count(*) FROM \(table)")
        }
        counts["head"] = try scalar("SELECT sequence || ':' || encode(chain_hash, 'hex') FROM event_chain_heads")
        counts["object"] = try scalar("SELECT string_agg(file_count || '/' || file_size, ',' ORDER BY id) FROM intellectual_objects")
        return counts
    }

    func request(_ method: String, _ path: String, json: Any? = nil,
                 as credentials: TestRegistry.Credentials? = nil) throws -> TestHTTPResponse {
        var headers = (credentials ?? admin).headers
        var body: [UInt8]?
        if let json {
            headers.append(("Content-Type", "application/json"))
            body = Self.encode(json)
        }
        // A fresh connection per request: the server closes one after refusing a request whose
        // body it did not read (404/405 before the body), which would break the next request.
        return try registry.client(receiveTimeout: 60).request(method: method, path: path, headers: headers, body: body)
    }

    static func encode(_ value: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: value, options: [.withoutEscapingSlashes])) ?? Data())
    }
}

/// Request bodies as the Go workers build them (domain.md §8.2 step 5).
enum WorkerBodies {
    static let ingestEventTypes = [
        "fixity check", "message digest calculation", "identifier assignment", "identifier assignment",
        "replication", "ingestion",
    ]

    /// A new file with md5 + sha256 checksums and the six ingest events, `_attributes` spelling.
    static func file(_ identifier: String, size: Int64, objectID: Int64, objectIdentifier: String,
                     institutionID: Int64, checkedAt: String = "2024-03-01T10:00:00.123456789Z",
                     md5: String? = nil) -> [String: Any] {
        let uuid = UUID().uuidString.lowercased()
        var events: [[String: Any]] = []
        for type in ingestEventTypes {
            events.append(event(type, fileIdentifier: identifier, objectID: objectID, objectIdentifier: objectIdentifier,
                                institutionID: institutionID, dateTime: checkedAt,
                                outcomeDetail: type == "replication" ? "https://replica.example/\(uuid)" : "detail of \(type)"))
        }
        return [
            "id": 0, "identifier": identifier, "intellectual_object_id": objectID,
            "intellectual_object_identifier": objectIdentifier, "institution_id": institutionID,
            "file_format": "text/plain", "uri": "https://s3.example/preservation/\(uuid)", "size": size,
            "state": "A", "storage_option": "Standard", "last_fixity_check": "0001-01-01T00:00:00Z",
            "created_at": "0001-01-01T00:00:00Z",
            "checksums_attributes": [
                checksum("md5", md5 ?? String(repeating: "a", count: 32)),
                checksum("sha256", String(repeating: "B", count: 64)),
            ],
            "premis_events_attributes": events,
        ]
    }

    static func checksum(_ algorithm: String, _ digest: String, datetime: String = "2024-03-01T10:00:00Z") -> [String: Any] {
        ["algorithm": algorithm, "datetime": datetime, "digest": digest, "generic_file_id": 0, "id": 0]
    }

    static func event(_ type: String, fileIdentifier: String?, objectID: Int64, objectIdentifier: String,
                      institutionID: Int64, dateTime: String = "2024-03-01T10:00:00Z",
                      outcomeDetail: String = "detail", identifier: String = UUID().uuidString) -> [String: Any] {
        var event: [String: Any] = [
            "id": 0, "identifier": identifier, "event_type": type, "date_time": dateTime,
            "detail": "Worker detail", "outcome": "Success", "outcome_detail": outcomeDetail,
            "outcome_information": "Worker information", "object": "Exchange worker", "agent": "https://github.com/APTrust/exchange",
            "intellectual_object_id": objectID, "intellectual_object_identifier": objectIdentifier,
            "generic_file_id": 0, "institution_id": institutionID,
        ]
        if let fileIdentifier { event["generic_file_identifier"] = fileIdentifier }
        return event
    }
}

/// Percent-encoding as the workers do it: every byte except `A–Z a–z 0–9 - _ . ~` (api-v2.md API-1).
func escaped(_ text: String) -> String {
    var result = ""
    for byte in text.utf8 {
        let unreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x30 && byte <= 0x39)
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "~")
        result += unreserved ? String(UnicodeScalar(byte)) : String(format: "%%%02X", byte)
    }
    return result
}


