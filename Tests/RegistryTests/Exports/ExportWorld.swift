import Foundation
import Testing
import TestSupport

/// The fixture of the export tests: two institutions with objects of every access level and events
/// whose text needs CSV quoting, non-ASCII and control characters. Events are appended through the
/// product's EventStore (real sequences and hashes).
///
/// test.edu: `test.edu/bag` (institution, file `data/a b.txt`), `test.edu/secret` (restricted),
/// `test.edu/open` (consortia); example.org: `example.org/shared` (consortia, file `data/x.txt`),
/// `example.org/private` (institution). The admin belongs to aptrust.org, which has no events.
struct ExportWorld {
    let registry: TestRegistry
    let admin: TestRegistry.Credentials
    let instAdmin: TestRegistry.Credentials
    let user: TestRegistry.Credentials
    let outsider: TestRegistry.Credentials
    /// Event identifiers by label.
    private(set) var events: [String: String] = [:]

    /// Tricky values (AUD-11): a quote and a comma, CR LF inside a field, non-ASCII, a control
    /// character and a TAB (no quoting needed), a formula that must stay as it is.
    static let quotedDetail = "Fixity \"check\", café\r\nsecond line"
    static let controlDetail = "tab\there\u{1}Ünïcödé ✓ 日本"
    static let formulaOutcomeDetail = "=SUM(A1:A2)"

    init(environment: [String: String] = [:]) throws {
        registry = try TestRegistry.start(environment: environment)
        for institution in ["aptrust.org", "test.edu", "example.org"] { try registry.makeInstitution(institution) }
        admin = try registry.makeUser("admin@aptrust.org", role: "admin", institution: "aptrust.org")
        instAdmin = try registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
        user = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
        outsider = try registry.makeUser("user@example.org", role: "institutional_user", institution: "example.org")
        for (object, access) in [("test.edu/bag", "institution"), ("test.edu/secret", "restricted"),
                                 ("test.edu/open", "consortia"), ("example.org/shared", "consortia"),
                                 ("example.org/private", "institution")] {
            try registry.makeObject(object, access: access)
        }
        try registry.makeFile("test.edu/bag/data/a b.txt")
        try registry.makeFile("example.org/shared/data/x.txt")

        try append("created", .init(eventType: "creation", dateTime: "2024-05-01T13:02:03.123456Z",
                                    detail: "Object created", objectIdentifier: "test.edu/bag"))
        try append("fixity", .init(eventType: "fixity check", dateTime: "2024-05-01T13:04:59.999999Z",
                                   detail: Self.quotedDetail, outcome: "Failed", outcomeDetail: "sha256:abc,def",
                                   outcomeInformation: "Fixity did not match", object: "Go language crypto/sha256",
                                   agent: "http://golang.org/pkg/crypto/sha256/", objectIdentifier: "test.edu/bag",
                                   fileIdentifier: "test.edu/bag/data/a b.txt"))
        try append("control", .init(eventType: "ingestion", dateTime: "2024-04-30T00:00:00Z", detail: Self.controlDetail,
                                    outcomeDetail: Self.formulaOutcomeDetail, objectIdentifier: "test.edu/bag"))
        try append("secret", .init(eventType: "creation", objectIdentifier: "test.edu/secret"))
        try append("open", .init(eventType: "creation", objectIdentifier: "test.edu/open"))
        try append("shared", .init(eventType: "creation", objectIdentifier: "example.org/shared"))
        try append("shared-file", .init(eventType: "fixity check", objectIdentifier: "example.org/shared",
                                        fileIdentifier: "example.org/shared/data/x.txt"))
        try append("private", .init(eventType: "creation", objectIdentifier: "example.org/private"))
    }

    private mutating func append(_ label: String, _ event: TestRegistry.TestEvent) throws {
        try registry.appendEvents([event])
        events[label] = event.identifier
    }

    /// Event labels in body order, from NDJSON lines (`identifier` of each line).
    func labels(ndjson body: [UInt8]) throws -> [String] {
        let byIdentifier = Dictionary(uniqueKeysWithValues: events.map { ($0.value, $0.key) })
        return try Self.lines(body).map { line in
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            return byIdentifier[object?["identifier"] as? String ?? ""] ?? "?"
        }
    }

    /// The lines of an NDJSON body; every line must end with LF (AUD-12).
    static func lines(_ body: [UInt8]) throws -> [String] {
        guard !body.isEmpty else { return [] }
        #expect(body.last == UInt8(ascii: "\n"), "an NDJSON body ends with LF")
        return String(decoding: body, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    func get(_ path: String, as caller: TestRegistry.Credentials? = nil,
             headers: [(name: String, value: String)] = []) throws -> TestHTTPResponse {
        try registry.client().request(method: "GET", path: path, headers: (caller ?? admin).headers + headers)
    }
}

/// The CSV of AUD-11, written independently of the server's code: a field is quoted when it holds
/// `,`, `"`, CR or LF, with `"` doubled; NULL is an empty field; rows end with CRLF.
enum ReferenceCSV {
    static let header = "identifier,institution,intellectual_object_identifier,generic_file_identifier,event_type,"
        + "date_time,outcome,outcome_detail,outcome_information,detail,object,agent,created_at,sequence,entry_hash,"
        + "chain_hash\r\n"

    static func field(_ value: String?) -> String {
        guard let value else { return "" }
        let special = value.unicodeScalars.contains { [",", "\"", "\r", "\n"].contains($0) }
        return special ? "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : value
    }

    /// The expected rows, straight from the database, in `order`.
    static func rows(_ registry: TestRegistry, where condition: String = "true",
                     order: String = "i.identifier, e.sequence") throws -> String {
        let timestamp = { (column: String) in
            "to_char(\(column) AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"
        }
        let rows = try registry.sql().query("""
            SELECT e.identifier::text, i.identifier, e.intellectual_object_identifier, e.generic_file_identifier,
                   e.event_type, \(timestamp("e.date_time")), e.outcome, e.outcome_detail, e.outcome_information,
                   e.detail, e.object, e.agent, \(timestamp("e.created_at")), e.sequence::text,
                   encode(e.entry_hash, 'hex'), encode(e.chain_hash, 'hex')
            FROM premis_events e JOIN institutions i ON i.id = e.institution_id
            WHERE \(condition) ORDER BY \(order)
            """)
        return rows.map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }
}
