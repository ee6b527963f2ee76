import Foundation
import Testing
import TestSupport

/// The data of the report tests, built through the API where the report relies on what the API
/// maintains (objects, files and their DOM-70 counts), and through the product's EventStore for
/// events (the chain). Deletions are applied in SQL the way finish_delete does (state `D` plus the
/// DOM-70 counts), because that route belongs to another slice.
///
/// - `test.edu` (member): `test.edu/bag1` Standard: a.txt 100 text/plain, b.pdf 250
///   application/pdf, c.txt 50 text/plain (deleted); `test.edu/bag2` Glacier-OH: d.tif 1000
///   image/tiff, e.txt 7 text/plain; `test.edu/bag3` deleted, no files; `test.edu/bag4` Glacier-VA,
///   deleted with its one file; 3 events, 2 work items.
/// - `sub.edu` (subscriber of test.edu): `sub.edu/bag` Standard with s.txt 5 text/plain; 1 event,
///   1 work item.
/// - `other.edu` (member): `other.edu/bag` Standard with o.txt 42 text/plain; 2 events, 1 work item.
struct ReportWorld {
    let world: AlertWorld
    let subUser: TestRegistry.Credentials

    static func start() throws -> ReportWorld {
        let world = try AlertWorld.start()
        try world.registry.makeInstitution("sub.edu", parent: "test.edu")
        let subUser = try world.registry.makeUser("user@sub.edu", role: "institutional_user", institution: "sub.edu")
        let report = ReportWorld(world: world, subUser: subUser)
        try report.object("test.edu/bag1", files: [("a.txt", 100, "text/plain"), ("b.pdf", 250, "application/pdf"),
                                                     ("c.txt", 50, "text/plain")])
        try report.object("test.edu/bag2", storageOption: "Glacier-OH",
                          files: [("d.tif", 1000, "image/tiff"), ("e.txt", 7, "text/plain")])
        try report.object("test.edu/bag3", files: [])
        try report.object("test.edu/bag4", storageOption: "Glacier-VA", files: [("z.txt", 9, "text/plain")])
        try report.object("sub.edu/bag", files: [("s.txt", 5, "text/plain")])
        try report.object("other.edu/bag", files: [("o.txt", 42, "text/plain")])
        try report.deleteFile("test.edu/bag1/c.txt")
        try report.deleteFile("test.edu/bag4/z.txt")
        try world.sql("UPDATE intellectual_objects SET state = 'D' WHERE identifier IN ('test.edu/bag3', 'test.edu/bag4')")
        try world.registry.appendEvents(TestRegistry.events(3, object: "test.edu/bag1"))
        try world.registry.appendEvents(TestRegistry.events(1, object: "sub.edu/bag"))
        try world.registry.appendEvents(TestRegistry.events(2, object: "other.edu/bag"))
        for (institution, action, status) in [("test.edu", "Delete", "Failed"), ("test.edu", "Ingest", "Success"),
                                              ("sub.edu", "Ingest", "Success"), ("other.edu", "Restore", "Pending")] {
            try world.registry.makeWorkItem(TestRegistry.TestWorkItem(institution: institution, action: action, status: status))
        }
        return report
    }

    /// `POST /objects/{inst}` then `POST /files/{id}/create_batch`, as the record worker does.
    func object(_ identifier: String, storageOption: String = "Standard", files: [(String, Int, String)]) throws {
        let institution = String(identifier.split(separator: "/")[0])
        let created = try world.send("POST", "/api/v2/objects/\(institution)", json: [
            "intellectual_object": ["identifier": identifier, "title": "Title", "access": "institution",
                                    "storage_option": storageOption],
        ])
        guard created.status == 201, let id = try created.jsonObject()["id"] as? Int else {
            throw RawHTTPError.malformed("object create answered \(created.status): \(created.text)")
        }
        guard !files.isEmpty else { return }
        let batch: [[String: Any]] = files.map { name, size, format in
            ["identifier": "\(identifier)/\(name)", "uri": "https://s3.example/\(identifier)/\(name)", "size": size,
             "file_format": format]
        }
        let stored = try world.send("POST", "/api/v2/files/\(id)/create_batch", json: batch)
        guard stored.status == 201 else {
            throw RawHTTPError.malformed("create_batch answered \(stored.status): \(stored.text)")
        }
    }

    /// What finish_delete does to a file (DOM-124, DOM-70), in one statement.
    func deleteFile(_ identifier: String) throws {
        try world.sql("""
            WITH f AS (UPDATE generic_files SET state = 'D', updated_at = now() WHERE identifier = $1
                       RETURNING intellectual_object_id, size)
            UPDATE intellectual_objects o SET file_count = o.file_count - 1, file_size = o.file_size - f.size
            FROM f WHERE o.id = f.intellectual_object_id
            """, [identifier])
    }

    func get(_ path: String, as caller: TestRegistry.Credentials? = nil) throws -> TestHTTPResponse {
        try world.send("GET", path, as: caller)
    }
}
