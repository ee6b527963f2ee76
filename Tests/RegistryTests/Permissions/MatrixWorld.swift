import Foundation
import TestSupport

/// The world the permission matrix runs against, built once: `aptrust.org` (the admins'),
/// `test.edu` and `other.edu` (a subscriber of test.edu, DOM-50), each with one object per access
/// level plus a consortia "spare" object, and under every object a file, a checksum, a storage
/// record, events, work items (one finished ingest with a state, one pending ingest, one failed),
/// deletion requests and notifications; and a caller of every kind the matrix asks about,
/// including those that must fail authentication.
struct MatrixWorld: Sendable {
    static let institutions = ["test.edu", "other.edu"]
    static let accessLevels = ["consortia", "institution", "restricted"]

    let registry: TestRegistry
    let callers: [MatrixCaller]
    /// One target per (institution, access level): the records the matrix names.
    let cells: [MatrixTarget]
    /// Per institution: its consortia object without any deletion request (the "missing request" reference).
    let spares: [MatrixTarget]
    /// Per institution (the institution-level records: bulk request, notification).
    let institutionTargets: [MatrixTarget]
    /// Institution identifier → id.
    let institutionIDs: [String: Int64]

    static func start() throws -> MatrixWorld {
        let registry = try TestRegistry.start()
        var institutionIDs: [String: Int64] = [:]
        for identifier in ["aptrust.org", "test.edu", "closed.edu"] {
            institutionIDs[identifier] = try registry.makeInstitution(identifier)
        }
        // A subscriber of test.edu: the parent link grants no data access in either direction (DOM-50).
        institutionIDs["other.edu"] = try registry.makeInstitution("other.edu", parent: "test.edu")
        let callers = try makeCallers(registry)
        let adminID = callers.first { $0.kind == .admin }?.userID ?? 0
        let sql = try registry.sql()
        var cells: [MatrixTarget] = []
        var spares: [MatrixTarget] = []
        var institutionTargets: [MatrixTarget] = []
        for institution in institutions {
            var events: [TestRegistry.TestEvent] = []
            for access in accessLevels {
                let records = try makeRecords(sql, institution: institution, bag: "\(access) bag", access: access)
                events += records.events
                cells.append(try withRequests(records.target, sql: sql, requester: adminID))
            }
            let spare = try makeRecords(sql, institution: institution, bag: "consortia spare", access: "consortia")
            events += spare.events
            spares.append(spare.target)
            try registry.appendEvents(events)
            institutionTargets.append(try institutionLevel(sql, institution: institution, spare: spare.target, requester: adminID))
        }
        let admin = callers.first { $0.kind == .admin }
        for cell in cells + spares {
            try addWorkItems(sql, registry: registry, cell: cell)
        }
        var withStates: [MatrixTarget] = []
        for cell in cells {
            withStates.append(try withItemState(cell, registry: registry, admin: admin))
        }
        try sql.query("UPDATE institutions SET state = 'D', deactivated_at = now() WHERE identifier = 'closed.edu'")
        return MatrixWorld(registry: registry, callers: callers, cells: withStates, spares: spares,
                           institutionTargets: institutionTargets, institutionIDs: institutionIDs)
    }

    // MARK: Callers

    private static func makeCallers(_ registry: TestRegistry) throws -> [MatrixCaller] {
        func user(_ kind: MatrixCaller.Kind, _ email: String, _ role: String, _ institution: String) throws -> MatrixCaller {
            let credentials = try registry.makeUser(email, role: role, institution: institution)
            return MatrixCaller(kind: kind, email: email, key: credentials.key, userID: credentials.userID, institution: institution)
        }
        let admin = try user(.admin, "system@aptrust.org", "admin", "aptrust.org")
        let instAdmin = try user(.institutionalAdmin, "admin@test.edu", "institutional_admin", "test.edu")
        let instUser = try user(.institutionalUser, "user@test.edu", "institutional_user", "test.edu")
        let otherAdmin = try user(.otherInstitutionalAdmin, "admin@other.edu", "institutional_admin", "other.edu")
        let deactivated = try user(.deactivatedUser, "gone@test.edu", "institutional_admin", "test.edu")
        let revoked = try user(.revokedKey, "revoked@test.edu", "institutional_admin", "test.edu")
        let expired = try user(.expiredKey, "expired@test.edu", "institutional_admin", "test.edu")
        let closed = try user(.deactivatedInstitution, "admin@closed.edu", "institutional_admin", "closed.edu")
        let sql = try registry.sql()
        // DOM-55 would also revoke the key on deactivation; it is left valid here so that the
        // user's own state is what refuses it.
        try sql.query("UPDATE users SET deactivated_at = now() WHERE email = 'gone@test.edu'")
        try sql.query("UPDATE api_keys SET revoked_at = now() WHERE user_id = $1::bigint", [String(revoked.userID)])
        try sql.query("UPDATE api_keys SET expires_at = now() - interval '1 minute' WHERE user_id = $1::bigint",
                      [String(expired.userID)])
        // A wrong key for a real, active user; and a request without the two headers at all.
        let wrongKey = MatrixCaller(kind: .wrongKey, email: instAdmin.email, key: String(repeating: "ab", count: 32),
                                    userID: instAdmin.userID, institution: "test.edu")
        // DOM-57: the key is hashed exactly as presented; an upper-cased key is another key (API-12).
        let upperCased = MatrixCaller(kind: .upperCasedKey, email: instAdmin.email, key: instAdmin.key.uppercased(),
                                      userID: instAdmin.userID, institution: "test.edu")
        // Presented keys, valid or not, must never reach a log either (OPS-42).
        IssuedSecrets.record(wrongKey.key)
        IssuedSecrets.record(upperCased.key)
        let anonymous = MatrixCaller(kind: .noCredentials, email: "", key: "", userID: 0, institution: "")
        return [admin, instAdmin, instUser, otherAdmin, deactivated, revoked, expired, closed, wrongKey, upperCased, anonymous]
    }

    // MARK: Records

    /// An object, its file (with a storage record and a sha256 checksum) and the events to append:
    /// an object-level `ingestion` and a file-level failed `fixity check` (an alert row, DOM-37).
    private static func makeRecords(_ sql: TestSQLConnection, institution: String, bag: String,
                                    access: String) throws -> (target: MatrixTarget, events: [TestRegistry.TestEvent]) {
        let object = "\(institution)/\(bag)"
        let file = "\(object)/data/file 1.txt"
        let row = try sql.query("""
            WITH object AS (
                INSERT INTO intellectual_objects (identifier, bag_name, institution_id, title, access)
                VALUES ($1, $2, (SELECT id FROM institutions WHERE identifier = $3), 'Title of ' || $2, $4)
                RETURNING id, institution_id),
            file AS (
                INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
                                           file_format, uri, size)
                SELECT $5, id, $1, institution_id, 'text/plain', 'https://s3.example.org/' || md5($5), 1 FROM object
                RETURNING id),
            storage AS (
                INSERT INTO storage_records (generic_file_id, url, kind)
                SELECT id, 'https://s3.example.org/' || md5($5), 'primary' FROM file),
            checksum AS (
                INSERT INTO checksums (generic_file_id, algorithm, datetime, digest)
                SELECT id, 'sha256', '2024-05-01T13:02:03Z', encode(sha256(convert_to($5, 'UTF8')), 'hex') FROM file
                RETURNING id)
            SELECT (SELECT id FROM object), (SELECT id FROM file), (SELECT id FROM checksum)
            """, [object, bag, institution, access, file])[0]
        try sql.query("UPDATE intellectual_objects SET file_count = 1, file_size = 1 WHERE identifier = $1", [object])
        let objectEvent = TestRegistry.TestEvent(objectIdentifier: object)
        let fixityEvent = TestRegistry.TestEvent(eventType: "fixity check", dateTime: "2024-06-01T00:00:00Z",
                                                 detail: "Fixity check", outcome: "Failed", outcomeDetail: "sha256:0",
                                                 objectIdentifier: object, fileIdentifier: file)
        var target = MatrixTarget(label: object, institution: institution, access: access)
        target.objectIdentifier = object
        target.objectID = Int64(row[0] ?? "") ?? 0
        target.fileIdentifier = file
        target.fileID = Int64(row[1] ?? "") ?? 0
        target.checksumID = Int64(row[2] ?? "") ?? 0
        target.eventIdentifier = objectEvent.identifier
        return (target, [objectEvent, fixityEvent])
    }

    /// An `object` deletion request covering the object (and its file) and a `file` request covering
    /// the file, both `requested` by the admin with a token nobody knows (SQL: the workflow routes
    /// would refuse the second while the first is open; the matrix needs both to exist).
    private static func withRequests(_ cell: MatrixTarget, sql: TestSQLConnection, requester: Int64) throws -> MatrixTarget {
        var cell = cell
        cell.hasOpenRequest = true
        cell.deletionID = try insertRequest(sql, kind: "object", institution: cell.institution ?? "", requester: requester,
                                            objectID: cell.objectID, fileID: cell.fileID)
        _ = try insertRequest(sql, kind: "file", institution: cell.institution ?? "", requester: requester,
                              objectID: nil, fileID: cell.fileID)
        return cell
    }

    private static func insertRequest(_ sql: TestSQLConnection, kind: String, institution: String, requester: Int64,
                                      objectID: Int64?, fileID: Int64?) throws -> Int64 {
        let id = try sql.scalar("""
            INSERT INTO deletion_requests (institution_id, kind, requested_by_id, token_hash, token_expires_at)
            VALUES ((SELECT id FROM institutions WHERE identifier = $1), $2, $3::bigint,
                    encode(sha256(convert_to('matrix token nobody knows ' || $2, 'UTF8')), 'hex'), now() + interval '72 hours')
            RETURNING id
            """, [institution, kind, String(requester)]) ?? ""
        if let objectID {
            try sql.query("INSERT INTO deletion_request_objects (deletion_request_id, intellectual_object_id) VALUES ($1::bigint, $2::bigint)",
                          [id, String(objectID)])
        }
        if let fileID {
            try sql.query("INSERT INTO deletion_request_files (deletion_request_id, generic_file_id) VALUES ($1::bigint, $2::bigint)",
                          [id, String(fileID)])
        }
        return Int64(id) ?? 0
    }

    /// The institution-level records: a `bulk` request (covering the spare object) and its
    /// `bulk_deletion_request` notification with a CSV attachment.
    private static func institutionLevel(_ sql: TestSQLConnection, institution: String, spare: MatrixTarget,
                                         requester: Int64) throws -> MatrixTarget {
        var target = MatrixTarget(label: institution, institution: institution, access: nil)
        target.institutionID = Int64(try sql.scalar("SELECT id FROM institutions WHERE identifier = $1", [institution]) ?? "") ?? 0
        target.bulkDeletionID = try insertRequest(sql, kind: "bulk", institution: institution, requester: requester,
                                                  objectID: spare.objectID, fileID: spare.fileID)
        let notification = try sql.scalar("""
            INSERT INTO notifications (notification_type, institution_id, recipients, subject, body, attachment_name,
                                       attachment_content_type, attachment, deletion_request_id)
            VALUES ('bulk_deletion_request', (SELECT id FROM institutions WHERE identifier = $1), ARRAY['admin@' || $1],
                    'Bulk deletion request ' || $2 || ' for ' || $1 || ': please approve',
                    'Please approve: https://registry.example.org/deletions/' || $2, 'bulk.csv', 'text/csv',
                    convert_to('identifier' || chr(10) || $3 || chr(10), 'UTF8'), $2::bigint)
            RETURNING id
            """, [institution, String(target.bulkDeletionID), spare.objectIdentifier]) ?? ""
        target.notificationID = Int64(notification) ?? 0
        return target
    }

    /// A finished `Ingest` (the object's last ingested version, DOM-78), a pending re-ingest that
    /// has been queued for 13 hours (pending work: restores and deletion requests answer 409; a
    /// stalled-item alert), and a failed ingest (an alert row).
    private static func addWorkItems(_ sql: TestSQLConnection, registry: TestRegistry, cell: MatrixTarget) throws {
        let institution = cell.institution ?? ""
        let bag = String(cell.objectIdentifier.split(separator: "/", maxSplits: 1).last ?? "")
        for (status, stage, queued) in [("Success", "Cleanup", nil), ("Pending", "Receive", 13.0 * 3600), ("Failed", "Store", nil)] {
            try registry.makeWorkItem(TestRegistry.TestWorkItem(
                institution: institution, name: "\(bag).tar", action: "Ingest", stage: stage, status: status,
                objectIdentifier: cell.objectIdentifier, user: "system@aptrust.org", queuedSecondsAgo: queued))
        }
        try sql.query("""
            UPDATE work_items SET intellectual_object_id = $2::bigint, node = 'worker-1', pid = 4242
            WHERE object_identifier = $1
            """, [cell.objectIdentifier, String(cell.objectID)])
    }

    /// The finished ingest item gets a work item state, stored through the API as the workers do.
    private static func withItemState(_ cell: MatrixTarget, registry: TestRegistry, admin: MatrixCaller?) throws -> MatrixTarget {
        var cell = cell
        let sql = try registry.sql()
        cell.itemID = Int64(try sql.scalar(
            "SELECT id FROM work_items WHERE object_identifier = $1 AND status = 'Success'", [cell.objectIdentifier]) ?? "") ?? 0
        let body = #"{"work_item_id":\#(cell.itemID),"action":"Ingest","state":"{\"step\":\"stored\"}"}"#
        let response = try registry.client().request(
            method: "POST", path: "/api/v2/item_state/",
            headers: (admin?.headers ?? []) + [("Content-Type", "application/json")], body: body)
        guard response.status == 201, let id = try response.jsonObject()["id"] as? Int else {
            throw RawHTTPError.malformed("item_state fixture: \(response.status) \(response.text)")
        }
        cell.stateID = Int64(id)
        return cell
    }
}
