import CryptoSupport
import Formats
import Postgres
import RegistryCore

/// Records an ingest the way the workers do it (domain.md §8.2): the Ingest work item, the object,
/// its four object events, then the files with md5 + sha256 checksums and their six (five for
/// non-Standard storage) events, then the item at Cleanup/Success.
extension DemoDataWriter {
    func ingest(_ object: DemoDataSet.Object, at time: Timestamp, as system: Caller) throws {
        let institution = try database.read { try RecordLookups.institution(identifierOrID: object.institution, caller: system, on: $0) }
        guard let institution else { throw PGError(kind: .other, message: "demo institution \(object.institution) missing") }
        let etag = SecureRandom.hex(byteCount: 16)
        let itemID = try database.transaction { connection in
            try WorkItemStore.create(
                WorkItemRecord(name: object.bagName + ".tar", etag: etag, bagDate: time.shifted(by: -86_400_000_000),
                               bucket: configuration.receivingBucketPrefix + object.institution, user: system.email,
                               institutionID: institution.id, date: time, note: "Item is pending ingest",
                               outcome: "Not started", action: "Ingest", stage: "Receive", status: "Pending", retry: true),
                bodyObjectID: nil, bodyFileID: nil, audit: audit("work_item.create", system, resourceType: "work_item"), on: connection)
        }
        let content = ObjectContent(title: object.title, description: "Demonstration data", altIdentifier: nil,
                                    access: object.access, bagName: object.bagName, bagGroupIdentifier: nil, etag: etag,
                                    storageOption: object.storageOption, bagitProfileIdentifier: nil,
                                    sourceOrganization: "Demo", internalSenderIdentifier: nil, internalSenderDescription: nil)
        _ = try ObjectStore.create(NewObject(identifier: object.identifier, institutionID: institution.id, content: content),
                                   origin: origin, caller: system, on: database) { _, _ in () }
        let objectRef = try database.read { try RecordLookups.object(identifierOrID: object.identifier, caller: system, on: $0) }
        guard let objectRef else { throw PGError(kind: .other, message: "demo object \(object.identifier) missing") }
        try appendObjectEvents(objectRef, at: time, as: system)
        let files = object.files.map { fileInput($0, of: object, at: time) }
        _ = try FileCreationStore.create(files, in: objectRef, kind: .batch, origin: origin, caller: system, database: database)
        try database.transaction { connection in
            var changes = WorkItemChanges()
            changes.stage = "Cleanup"
            changes.status = "Success"
            changes.note = "Item was successfully ingested"
            changes.outcome = "Item was successfully ingested"
            // §8.2 steps 1-2: the bucket reader and the queue poller set `queued_at` when they queue
            // the item; an ingested item was queued.
            changes.queuedAt = .set(time)
            _ = try WorkItemStore.update(id: itemID, changes, audit: audit("work_item.update", system, resourceType: "work_item"), on: connection)
        }
    }

    private func appendObjectEvents(_ object: ObjectRef, at time: Timestamp, as system: Caller) throws {
        let kinds: [(type: String, detail: String, outcomeDetail: String)] = [
            ("creation", "Object created", "Intellectual object created"),
            ("identifier assignment", "Assigned object identifier", object.identifier),
            ("access assignment", "Assigned access rights", "Access set"),
            ("ingestion", "Copied all files to perservation bucket", "Object ingested"),
        ]
        let events = kinds.enumerated().map { index, kind in
            NewEvent(content: EventContent(identifier: SecureRandom.uuidV4(), eventType: kind.type,
                                           dateTime: time.shifted(by: Int64(index)), detail: kind.detail,
                                           outcome: "Success", outcomeDetail: kind.outcomeDetail, outcomeInformation: nil,
                                           object: "APTrust exchange", agent: DemoDataSet.exchangeAgent),
                     objectID: object.id, objectIdentifier: object.identifier, fileID: nil, fileIdentifier: nil)
        }
        try database.transaction { connection in
            _ = try EventStore.append(events, institutionID: object.institutionID,
                                      institutionIdentifier: object.institutionIdentifier, on: connection)
            try AuditLog.append(audit("event.create", system, resource: object), on: connection)
        }
    }

    private func fileInput(_ file: DemoDataSet.File, of object: DemoDataSet.Object, at time: Timestamp) -> FileInput {
        let identifier = object.identifier + "/" + file.path
        let content = Array("demo content of \(identifier)".utf8)
        let sha256 = SHA256.hex(content)
        let md5 = String(SHA256.hex(content + [0]).prefix(32))
        let uuid = SecureRandom.uuidV4()
        let uri = "https://s3.amazonaws.com/aptrust.preservation.storage/\(uuid)"
        func event(_ type: String, _ detail: String, _ outcomeDetail: String, _ offset: Int64, agent: String) -> FileEventInput {
            FileEventInput(content: EventContent(identifier: SecureRandom.uuidV4(), eventType: type,
                                                 dateTime: time.shifted(by: offset), detail: detail, outcome: "Success",
                                                 outcomeDetail: outcomeDetail, outcomeInformation: nil,
                                                 object: "APTrust exchange", agent: agent),
                           existingID: nil, claimedFileID: nil, errorPrefix: "")
        }
        var events = [
            event("fixity check", "Fixity check against registered hash", "sha256:\(sha256)", 10, agent: "http://golang.org/pkg/crypto/sha256/"),
            event("message digest calculation", "Calculated fixity value", "md5:\(md5)", 11, agent: "http://golang.org/pkg/crypto/md5/"),
            event("identifier assignment", "Assigned new generic file identifier", identifier, 12, agent: DemoDataSet.exchangeAgent),
            event("identifier assignment", "Assigned new storage URL identifier", uri, 13, agent: DemoDataSet.exchangeAgent),
        ]
        if object.storageOption == "Standard" {
            events.append(event("replication", "Copied to replication storage and assigned replication URL",
                                "https://s3.us-west-2.amazonaws.com/aptrust.replication/\(uuid)", 14, agent: DemoDataSet.exchangeAgent))
        }
        events.append(event("ingestion", "Completed copy to preservation storage", uri, 15, agent: DemoDataSet.exchangeAgent))
        let checksums = [
            ChecksumInput(algorithm: "md5", datetime: time, digest: md5, existingID: nil, claimedFileID: nil, errorPrefix: ""),
            ChecksumInput(algorithm: "sha256", datetime: time, digest: sha256, existingID: nil, claimedFileID: nil, errorPrefix: ""),
        ]
        return FileInput(identifier: identifier, uri: uri, size: file.size, fileFormat: file.format, lastFixityCheck: nil,
                         checksums: checksums, events: events, errorPrefix: "")
    }

    /// OPS-80: one `fixity check` with outcome `Failed` on a demo-bag-1 file.
    func recordFailedFixity(as system: Caller) throws {
        let identifier = "test.edu/demo-bag-1/data/report.pdf"
        guard let file = try database.read({ try RecordLookups.file(identifierOrID: identifier, caller: system, on: $0) }) else {
            throw PGError(kind: .other, message: "demo file \(identifier) missing")
        }
        let content = EventContent(identifier: SecureRandom.uuidV4(), eventType: "fixity check", dateTime: Timestamp.now(),
                                   detail: "Fixity check against registered hash", outcome: "Failed",
                                   outcomeDetail: "sha256:" + SHA256.hex(Array("altered".utf8)),
                                   outcomeInformation: "Fixity did not match", object: "Go language crypto/sha256",
                                   agent: "http://golang.org/pkg/crypto/sha256/")
        let event = NewEvent(content: content, objectID: file.object.id, objectIdentifier: file.object.identifier,
                             fileID: file.id, fileIdentifier: file.identifier)
        try database.transaction { connection in
            _ = try EventStore.append([event], institutionID: file.object.institutionID,
                                      institutionIdentifier: file.object.institutionIdentifier, on: connection)
            try AuditLog.append(audit("event.create", system, resource: file.object), on: connection)
        }
    }

    func writePendingItem(as system: Caller, on connection: PGConnection) throws {
        guard let institution = try RecordLookups.institution(identifierOrID: DemoDataSet.pendingItem.institution,
                                                              caller: system, on: connection) else { return }
        _ = try WorkItemStore.create(
            WorkItemRecord(name: DemoDataSet.pendingItem.name, etag: SecureRandom.hex(byteCount: 16),
                           bagDate: Timestamp.now(), bucket: configuration.receivingBucketPrefix + institution.identifier,
                           user: system.email, institutionID: institution.id, date: Timestamp.now(),
                           note: "Item is pending ingest", outcome: "Not started", action: "Ingest", stage: "Receive",
                           status: "Pending", retry: true),
            bodyObjectID: nil, bodyFileID: nil, audit: audit("work_item.create", system, resourceType: "work_item"), on: connection)
    }

    /// `resourceType` names what was acted on when it is not `object` (domain.md §4.12); the store
    /// fills in the work item's id as the API's rows have it.
    func audit(_ action: String, _ system: Caller, resource object: ObjectRef? = nil, resourceType: String? = nil) -> AuditEntry {
        var entry = AuditEntry(origin: .cli("demo-data"), caller: system, action: action,
                               resourceType: object == nil ? resourceType : "intellectual_object", resourceID: object?.id,
                               resourceIdentifier: object?.identifier, institutionID: object?.institutionID ?? system.institutionID,
                               status: nil)
        entry.authMethod = "cli"
        return entry
    }
}
