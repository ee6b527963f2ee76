import CryptoSupport
import Foundation
import Testing
import TestSupport

/// Fixtures and helpers of the event tests. Objects and files are written with SQL: the event
/// routes only need them to exist (their own routes are tested elsewhere).
extension TestRegistry {
    /// An active object of the institution named by the identifier's prefix.
    @discardableResult
    func makeEventTestObject(_ identifier: String, access: String = "institution") throws -> Int64 {
        let institution = String(identifier.split(separator: "/")[0])
        let rows = try sql().query("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
            VALUES ($1, split_part($1, '/', 2), (SELECT id FROM institutions WHERE identifier = $2), 'Title', $3)
            RETURNING id
            """, [identifier, institution, access])
        return Int64(rows[0][0] ?? "0") ?? 0
    }

    /// An active file of the object named by the identifier's first two parts.
    @discardableResult
    func makeEventTestFile(_ identifier: String, lastFixityCheck: String = "2000-01-01T00:00:00Z") throws -> Int64 {
        let parts = identifier.split(separator: "/", maxSplits: 2)
        let object = "\(parts[0])/\(parts[1])"
        let rows = try sql().query("""
            INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                       file_format, uri, size, last_fixity_check)
            SELECT $1, o.id, o.identifier, o.institution_id, 'text/plain', 'https://s3.example/' || md5($1), 10, $3
            FROM intellectual_objects o WHERE o.identifier = $2
            RETURNING id
            """, [identifier, object, lastFixityCheck])
        return Int64(rows[0][0] ?? "0") ?? 0
    }

    /// One SQL value (as text).
    func eventTestValue(_ query: String, _ parameters: [String?] = []) throws -> String? {
        try sql().scalar(query, parameters)
    }
}

/// A standard setup: `test.edu` with an admin service account and an object `test.edu/bag`
/// holding the file `test.edu/bag/data/a b.txt`.
struct EventWorld {
    let registry: TestRegistry
    let admin: TestRegistry.Credentials
    let objectID: Int64
    let fileID: Int64
    static let object = "test.edu/bag"
    static let file = "test.edu/bag/data/a b.txt"
    static let encodedObject = "test.edu%2Fbag"
    static let encodedFile = "test.edu%2Fbag%2Fdata%2Fa%20b.txt"

    init() throws {
        registry = try TestRegistry.start()
        try registry.makeInstitution("test.edu")
        admin = try registry.makeUser("system@aptrust.org", role: "admin", institution: "test.edu")
        objectID = try registry.makeEventTestObject(Self.object)
        fileID = try registry.makeEventTestFile(Self.file)
    }

    /// The JSON headers plus the admin's credentials.
    var adminHeaders: [(name: String, value: String)] {
        admin.headers + [("Content-Type", "application/json")]
    }

    func post(_ body: [String: Any], wrapped: Bool = false, client: RawHTTPClient? = nil) throws -> TestHTTPResponse {
        let record: [String: Any] = wrapped ? ["premis_event": body] : body
        return try post(bytes: Self.json(record), client: client)
    }

    /// Posts an already serialized body (what concurrent workers share: `[String: Any]` is not Sendable).
    func post(bytes: [UInt8], client: RawHTTPClient? = nil) throws -> TestHTTPResponse {
        try (client ?? registry.client()).request(method: "POST", path: "/api/v2/events/", headers: adminHeaders, body: bytes)
    }

    static func json(_ object: [String: Any]) throws -> [UInt8] {
        Array(try JSONSerialization.data(withJSONObject: object))
    }

    func get(_ path: String, as credentials: TestRegistry.Credentials? = nil) throws -> TestHTTPResponse {
        try registry.client().request(method: "GET", path: path, headers: (credentials ?? admin).headers)
    }
}

/// Event bodies as the workers send them.
enum EventBodies {
    static func uuid() -> String { UUID().uuidString.lowercased() }

    static func objectEvent(_ type: String, identifier: String = uuid(), object: String = EventWorld.object,
                            dateTime: String = "2024-05-01T13:02:03.123456Z", outcome: String = "Success") -> [String: Any] {
        [
            "identifier": identifier, "event_type": type, "date_time": dateTime, "outcome": outcome,
            "detail": "Object \(type)", "outcome_detail": "detail of \(type)", "object": "APTrust exchange",
            "agent": "https://github.com/APTrust/exchange", "intellectual_object_identifier": object,
        ]
    }

    static func fileEvent(_ type: String, identifier: String = uuid(), file: String = EventWorld.file,
                          dateTime: String = "2024-05-01T13:02:03.123456Z", outcome: String = "Success",
                          outcomeDetail: String = "sha256:abc") -> [String: Any] {
        [
            "identifier": identifier, "event_type": type, "date_time": dateTime, "outcome": outcome,
            "detail": "File \(type)", "outcome_detail": outcomeDetail, "outcome_information": "information",
            "object": "Go language crypto/sha256", "agent": "http://golang.org/pkg/crypto/sha256/",
            "generic_file_identifier": file,
        ]
    }
}

/// An independent implementation of auditor.md AUD-40..43 over an event's JSON representation
/// (api-v2.md §8), as an outside verifier would write it — not the server's code.
enum IndependentChain {
    static let members = [
        "agent", "created_at", "date_time", "detail", "event_type", "generic_file_identifier", "identifier",
        "institution", "intellectual_object_identifier", "object", "outcome", "outcome_detail", "outcome_information",
        "sequence",
    ]

    /// The canonical text of AUD-40..42.
    static func canonical(_ event: [String: Any]) -> [UInt8] {
        var text = "{"
        for (index, name) in members.enumerated() {
            if index > 0 { text += "," }
            text += "\"\(name)\":"
            switch event[name] {
            case let string as String: text += "\"" + escape(string) + "\""
            case let integer as Int: text += String(integer)
            case let number as NSNumber: text += number.stringValue
            default: text += "null"
            }
        }
        return Array((text + "}").utf8)
    }

    static func escape(_ string: String) -> String {
        var out = ""
        for scalar in string.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{08}": out += "\\b"
            case "\t": out += "\\t"
            case "\n": out += "\\n"
            case "\u{0C}": out += "\\f"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    static func bytes(_ hex: String) -> [UInt8] {
        var result: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            result.append(UInt8(hex[index..<next], radix: 16) ?? 0)
            index = next
        }
        return result
    }

    /// Checks each event's entry hash and the chain over `events` sorted by sequence from 1;
    /// returns the last chain hash.
    @discardableResult
    static func verify(_ events: [[String: Any]], sourceLocation: SourceLocation = #_sourceLocation) -> String {
        var chain = [UInt8](repeating: 0, count: 32)
        let sorted = events.sorted { ($0["sequence"] as? Int ?? 0) < ($1["sequence"] as? Int ?? 0) }
        for (position, event) in sorted.enumerated() {
            #expect(event["sequence"] as? Int == position + 1, "sequence gap", sourceLocation: sourceLocation)
            let entry = SHA256.hash(canonical(event))
            #expect(hex(entry) == event["entry_hash"] as? String, "entry_hash of \(position + 1)", sourceLocation: sourceLocation)
            chain = SHA256.hash(chain + entry)
            #expect(hex(chain) == event["chain_hash"] as? String, "chain_hash of \(position + 1)", sourceLocation: sourceLocation)
        }
        return hex(chain)
    }
}

extension TestHTTPResponse {
    /// `results` of a list envelope.
    func eventResults() throws -> [[String: Any]] {
        try #require(try jsonObject()["results"] as? [[String: Any]])
    }
}
