import Foundation
import Testing
import TestSupport

/// The fixture of the PREMIS tests.
///
/// `test.edu/bag1` (institution access; alt_identifier, bag_group_identifier with `&` and `<`, no
/// bagit_profile_identifier; a title with quotes and markup) holds `data/a.txt` (active, two
/// checksums, one current and one superseded storage record, one fixity event) and
/// `data/b & c.txt` (deleted, nothing else). Its events, by date_time: `assigned` (object-level,
/// an eventType without an id.loc.gov code), `ingested` (object-level, a control character and
/// CR LF in its detail), `fixity` (file-level, `Failed`, with outcome_information).
struct PremisWorld {
    let registry: TestRegistry
    let admin: TestRegistry.Credentials
    let instAdmin: TestRegistry.Credentials
    let user: TestRegistry.Credentials
    let objectID: Int64
    let events: [String: String]

    static let title = "Title \"quoted\" & <tagged>"
    static let group = "group & <one>"
    static let ingestDetail = "Ingested\u{1B}done\r\nnext"

    init() throws {
        registry = try TestRegistry.start()
        for institution in ["aptrust.org", "test.edu", "example.org"] { try registry.makeInstitution(institution) }
        admin = try registry.makeUser("admin@aptrust.org", role: "admin", institution: "aptrust.org")
        instAdmin = try registry.makeUser("ia@test.edu", role: "institutional_admin", institution: "test.edu")
        user = try registry.makeUser("user@test.edu", role: "institutional_user", institution: "test.edu")
        let sql = try registry.sql()
        objectID = Int64(try sql.scalar("""
            INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access, alt_identifier,
                                              bag_group_identifier, storage_option)
            SELECT 'test.edu/bag1', 'bag1', id, $1, 'institution', 'alt-1', $2, 'Standard'
            FROM institutions WHERE identifier = 'test.edu' RETURNING id
            """, [Self.title, Self.group]) ?? "") ?? 0
        let fileA = try registry.makeFile("test.edu/bag1/data/a.txt")
        let fileB = try registry.makeFile("test.edu/bag1/data/b & c.txt")
        try sql.query("UPDATE generic_files SET size = 10, state = 'D' WHERE id = $1", [String(fileB)])
        try sql.query("UPDATE generic_files SET size = 10 WHERE id = $1", [String(fileA)])
        try sql.query("""
            INSERT INTO checksums (generic_file_id, algorithm, datetime, digest) VALUES
              ($1, 'md5', '2024-01-02T00:00:00Z', repeat('a', 32)),
              ($1, 'sha256', '2024-01-01T00:00:00Z', repeat('b', 64))
            """, [String(fileA)])
        try sql.query("""
            INSERT INTO storage_records (generic_file_id, url, kind, superseded_at) VALUES
              ($1, 'https://old.example/a', 'primary', '2024-01-01T00:00:00Z'),
              ($1, 'https://s3.example/a?x=1&y=2', 'primary', NULL)
            """, [String(fileA)])

        let assigned = TestRegistry.TestEvent(
            eventType: "identifier assignment", dateTime: "2024-04-30T00:00:00Z", detail: "Assigned",
            object: "ärger tool", agent: "Zeta agent", objectIdentifier: "test.edu/bag1")
        let ingested = TestRegistry.TestEvent(
            eventType: "ingestion", dateTime: "2024-05-01T10:00:00Z", detail: Self.ingestDetail,
            objectIdentifier: "test.edu/bag1")
        let fixity = TestRegistry.TestEvent(
            eventType: "fixity check", dateTime: "2024-05-02T00:00:00Z", detail: "Fixity check", outcome: "Failed",
            outcomeDetail: "sha256:bbbb", outcomeInformation: "Fixity did not match", object: "Go language crypto/sha256",
            agent: "http://golang.org/pkg/crypto/sha256/", objectIdentifier: "test.edu/bag1",
            fileIdentifier: "test.edu/bag1/data/a.txt")
        // Appended out of date order: the export orders by date_time, not by sequence.
        try registry.appendEvents([fixity, ingested, assigned])
        events = ["assigned": assigned.identifier, "ingested": ingested.identifier, "fixity": fixity.identifier]

        for (object, access) in [("example.org/shared", "consortia"), ("example.org/private", "institution"),
                                 ("test.edu/secret", "restricted")] {
            try registry.makeObject(object, access: access)
            try registry.appendEvents([TestRegistry.TestEvent(objectIdentifier: object)])
        }
    }

    func get(_ path: String, as caller: TestRegistry.Credentials? = nil,
             headers: [(name: String, value: String)] = []) throws -> TestHTTPResponse {
        try registry.client().request(method: "GET", path: path, headers: (caller ?? admin).headers + headers)
    }

    /// The parsed document of `GET /objects/{identifier}/premis`.
    func document(_ encodedIdentifier: String = "test.edu%2Fbag1", as caller: TestRegistry.Credentials? = nil) throws
        -> XMLElementNode {
        let response = try get("/api/v2/objects/\(encodedIdentifier)/premis", as: caller)
        #expect(response.status == 200, "\(response.text.prefix(300))")
        return try XMLElementNode.parse(response.body)
    }
}
