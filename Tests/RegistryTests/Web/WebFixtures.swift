import Foundation
import TestSupport

/// Records for the page tests. The object title and the file name are the WEB-18 probes.
struct WebFixtures {
    static let scriptTitle = "<script>alert(1)</script>"
    static let quoteFile = #"test.edu/bag-inst/data/a"onmouseover="x.txt"#

    let ownObject = "test.edu/bag-inst"              // institution level
    let restrictedObject = "test.edu/bag-restricted"
    let otherObject = "example.org/bag-other"        // institution level, another institution
    let sharedObject = "example.org/bag-shared"      // consortia, another institution
    let restrictedFile = "test.edu/bag-restricted/data/r.txt"
    let otherFile = "example.org/bag-other/data/o.txt"
    let sharedFile = "example.org/bag-shared/data/s.txt"
    /// Event identifiers.
    let ownEvent: String
    let otherEvent: String
    let sharedEvent: String
    /// Work item ids.
    let ownItem: Int64
    let otherItem: Int64

    static func load(into world: WebWorld) throws -> WebFixtures {
        let registry = world.registry
        try registry.makeObject("test.edu/bag-inst", access: "institution")
        try registry.sql().query("UPDATE intellectual_objects SET title = $1 WHERE identifier = 'test.edu/bag-inst'", [scriptTitle])
        try registry.makeObject("test.edu/bag-restricted", access: "restricted")
        try registry.makeObject("example.org/bag-other", access: "institution")
        try registry.makeObject("example.org/bag-shared", access: "consortia")
        for file in [quoteFile, "test.edu/bag-restricted/data/r.txt", "example.org/bag-other/data/o.txt",
                     "example.org/bag-shared/data/s.txt"] {
            try registry.makeFile(file)
        }
        let own = TestRegistry.TestEvent(eventType: "fixity check", outcome: "Failed", objectIdentifier: "test.edu/bag-inst",
                                         fileIdentifier: quoteFile)
        let restricted = TestRegistry.TestEvent(objectIdentifier: "test.edu/bag-restricted", fileIdentifier: "test.edu/bag-restricted/data/r.txt")
        try registry.appendEvents([own, restricted])
        let other = TestRegistry.TestEvent(objectIdentifier: "example.org/bag-other", fileIdentifier: "example.org/bag-other/data/o.txt")
        let shared = TestRegistry.TestEvent(objectIdentifier: "example.org/bag-shared", fileIdentifier: "example.org/bag-shared/data/s.txt")
        try registry.appendEvents([other, shared])
        return WebFixtures(ownEvent: own.identifier, otherEvent: other.identifier, sharedEvent: shared.identifier,
                           ownItem: try item(registry, institution: "test.edu", object: "test.edu/bag-inst"),
                           otherItem: try item(registry, institution: "example.org", object: "example.org/bag-other"))
    }

    /// A failed Ingest work item of `object`, with a saved state.
    static func item(_ registry: TestRegistry, institution: String, object: String, action: String = "Ingest",
                     status: String = "Failed") throws -> Int64 {
        let rows = try registry.sql().query("""
            INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, date, note, outcome, action, stage,
                                    status, object_identifier)
            VALUES (split_part($2, '/', 2) || '.tar', 'etag1', now(), 'aptrust.receiving.' || $1, 'system@aptrust.org',
                    (SELECT id FROM institutions WHERE identifier = $1), now(), 'note', 'outcome', $3, 'Fetch', $4, $2)
            RETURNING id
            """, [institution, object, action, status])
        let id = Int64(rows[0][0] ?? "0") ?? 0
        try registry.sql().query("""
            INSERT INTO work_item_states (work_item_id, action, state) VALUES ($1::bigint, $2, '\\x789c4b4c4a0600024d0127'::bytea)
            """, [String(id), action])
        return id
    }
}
