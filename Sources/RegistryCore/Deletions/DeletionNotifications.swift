import Formats
import Postgres

/// The six notifications of the deletion workflows (domain.md §8.9: `deletion_request`,
/// `deletion_confirmation`, `deletion_finished`, `bulk_deletion_request`,
/// `bulk_deletion_confirmation_partial`, `bulk_deletion_confirmation_final`), written in the caller's
/// transaction with the subject and the DOM-141b body layout: header lines naming
/// `<base>/deletions/<id>` (plus `?token=` for the three that carry a token), an empty line, then one
/// `<identifier> <absolute URL>` line per covered object and then per covered file, each group in
/// identifier byte order.
struct DeletionNotifications {
    let requestID: Int64
    let institutionID: Int64
    let institutionIdentifier: String
    let baseURL: String
    let objects: [String]
    let files: [String]

    /// Reads the covered identifiers (fixed at request time, DOM-120a) of the request.
    init(request: DeletionRequestRecord, baseURL: String, on connection: PGConnection) throws {
        requestID = request.id
        institutionID = request.institutionID
        institutionIdentifier = request.institutionIdentifier
        self.baseURL = baseURL
        let covered = try Self.coveredIdentifiers(requestID: request.id, on: connection)
        objects = covered.objects
        files = covered.files
    }

    /// `<base>/deletions/<id>`.
    var requestLink: String { "\(baseURL)/deletions/\(requestID)" }

    /// "1 object and 3 files".
    var coverage: String {
        "\(objects.count) \(objects.count == 1 ? "object" : "objects") and \(files.count) \(files.count == 1 ? "file" : "files")"
    }

    @discardableResult
    func insert(_ type: String, subject: String, header: [String], recipients: [String],
                attachment: (name: String, contentType: String, bytes: [UInt8])? = nil,
                on connection: PGConnection) throws -> Int64 {
        var items: [(identifier: String, url: String)] = []
        items.reserveCapacity(objects.count + files.count)
        for identifier in objects {
            items.append((identifier, NotificationOutbox.link(base: baseURL, path: "/objects/", identifier: identifier)))
        }
        for identifier in files {
            items.append((identifier, NotificationOutbox.link(base: baseURL, path: "/files/", identifier: identifier)))
        }
        return try NotificationOutbox.insert(NewNotification(
            type: type, institutionID: institutionID, recipients: recipients, subject: subject,
            body: NotificationOutbox.body(header: header, items: items), attachment: attachment,
            deletionRequestID: requestID), on: connection)
    }

    /// The header lines that invite the recipient to approve with `token` before it expires.
    func tokenLines(_ token: DeletionToken, expiresAt: Timestamp, action: String) -> [String] {
        ["\(action) at \(requestLink)?token=\(token.plaintext)",
         "The link can be used once and expires at \(expiresAt.apiString)."]
    }

    /// DOM-120: `deletion_request`.
    func request(requester: String, kind: String, token: DeletionToken, expiresAt: Timestamp, recipients: [String],
                 on connection: PGConnection) throws {
        try insert("deletion_request", subject: "Deletion request \(requestID) for \(institutionIdentifier): please confirm",
                   header: ["Deletion request \(requestID) for \(institutionIdentifier): \(requester) asked to delete "
                            + "the \(kind) listed below (\(coverage))."]
                       + tokenLines(token, expiresAt: expiresAt, action: "Review and confirm it"),
                   recipients: recipients, on: connection)
    }

    /// DOM-122: `deletion_confirmation`.
    func confirmation(confirmer: String, itemCount: Int, recipients: [String], on connection: PGConnection) throws {
        try insert("deletion_confirmation", subject: "Deletion request \(requestID) for \(institutionIdentifier) confirmed",
                   header: ["Deletion request \(requestID) for \(institutionIdentifier) was confirmed by \(confirmer).",
                            "\(itemCount) Delete work \(itemCount == 1 ? "item was" : "items were") queued for the records listed below.",
                            "Details: \(requestLink)"],
                   recipients: recipients, on: connection)
    }

    /// DOM-126: `deletion_finished`.
    func finished(recipients: [String], on connection: PGConnection) throws {
        try insert("deletion_finished", subject: "Deletion request \(requestID) for \(institutionIdentifier) completed",
                   header: ["Deletion request \(requestID) for \(institutionIdentifier) is completed: "
                            + "every record listed below is deleted.",
                            "Details: \(requestLink)"],
                   recipients: recipients, on: connection)
    }

    /// DOM-130: `bulk_deletion_request`, with the covered identifiers as a CSV attachment.
    func bulkRequest(requester: String, token: DeletionToken, expiresAt: Timestamp, recipients: [String],
                     on connection: PGConnection) throws {
        try insert("bulk_deletion_request",
                   subject: "Bulk deletion request \(requestID) for \(institutionIdentifier): please approve",
                   header: ["Bulk deletion request \(requestID) for \(institutionIdentifier): \(requester) asked to delete "
                            + "the records listed below (\(coverage)); they are also attached as CSV."]
                       + tokenLines(token, expiresAt: expiresAt, action: "An institutional admin may approve it"),
                   recipients: recipients,
                   attachment: ("bulk_deletion_\(requestID).csv", "text/csv; charset=utf-8", csv()), on: connection)
    }

    /// DOM-131: `bulk_deletion_confirmation_partial`.
    func bulkPartial(instApprover: String, token: DeletionToken, expiresAt: Timestamp, recipients: [String],
                     on connection: PGConnection) throws {
        try insert("bulk_deletion_confirmation_partial",
                   subject: "Bulk deletion request \(requestID) for \(institutionIdentifier): APTrust approval needed",
                   header: ["Bulk deletion request \(requestID) for \(institutionIdentifier) was approved by "
                            + "\(instApprover) for the institution (\(coverage))."]
                       + tokenLines(token, expiresAt: expiresAt, action: "APTrust approval is needed"),
                   recipients: recipients, on: connection)
    }

    /// DOM-132: `bulk_deletion_confirmation_final`.
    func bulkFinal(instApprover: String, aptrustApprover: String, itemCount: Int, recipients: [String],
                   on connection: PGConnection) throws {
        try insert("bulk_deletion_confirmation_final",
                   subject: "Bulk deletion request \(requestID) for \(institutionIdentifier) approved",
                   header: ["Bulk deletion request \(requestID) for \(institutionIdentifier) was approved by "
                            + "\(instApprover) and \(aptrustApprover).",
                            "\(itemCount) Delete work \(itemCount == 1 ? "item was" : "items were") queued for the records listed below.",
                            "Details: \(requestLink)"],
                   recipients: recipients, on: connection)
    }

    /// `Kind,Identifier` rows: the covered objects, then the covered files.
    private func csv() -> [UInt8] {
        var bytes: [UInt8] = []
        CSV.appendRow(["Kind", "Identifier"], to: &bytes)
        for identifier in objects { CSV.appendRow(["object", identifier], to: &bytes) }
        for identifier in files { CSV.appendRow(["file", identifier], to: &bytes) }
        return bytes
    }

    /// Covered objects and files of a request, each in identifier byte order (COLLATE "C" columns).
    static func coveredIdentifiers(requestID: Int64, on connection: PGConnection) throws -> (objects: [String], files: [String]) {
        let objects = try connection.query("""
            SELECT o.identifier FROM deletion_request_objects x JOIN intellectual_objects o ON o.id = x.intellectual_object_id
            WHERE x.deletion_request_id = \(requestID) ORDER BY o.identifier
            """)
        let files = try connection.query("""
            SELECT f.identifier FROM deletion_request_files y JOIN generic_files f ON f.id = y.generic_file_id
            WHERE y.deletion_request_id = \(requestID) ORDER BY f.identifier
            """)
        return ((0..<objects.rowCount).compactMap { objects.string($0, 0) },
                (0..<files.rowCount).compactMap { files.string($0, 0) })
    }
}
