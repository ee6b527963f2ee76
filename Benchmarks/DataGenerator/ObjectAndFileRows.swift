import Formats
import Postgres

/// The COPY passes for objects, files, checksums and storage records. Each pass walks the objects
/// in ingest order and regenerates what it needs from `ObjectShape`; ids are assigned here (dense,
/// from 1, in ingest order), so children can name their parents without reading anything back.
struct ObjectAndFileRows {
    /// Database ids of the planned institutions, by plan index.
    let institutionIDs: [Int64]

    static let profile = "https://raw.githubusercontent.com/APTrust/preservation-services/master/profiles/aptrust-v2.2.json"

    /// Ingested objects with their derived counts (DOM-70), then the empty ingest targets.
    func copyObjects(on connection: PGConnection) throws -> Int {
        try CopyRowBuffer.copy("intellectual_objects", [
            "id", "identifier", "bag_name", "institution_id", "title", "description", "bagit_profile_identifier",
            "source_organization", "access", "state", "etag", "storage_option", "file_count", "file_size",
            "created_at", "updated_at",
        ], on: connection) { rows in
            for index in 0..<DatasetPlan.ingestedObjects {
                let object = ObjectShape(index)
                var random = DeterministicRandom(seed: index, stream: 4)
                writeObject(&rows, id: object.id, identifier: object.identifier, bagName: object.bagName,
                            institutionIndex: object.institutionIndex, title: object.title,
                            description: random.below(3) == 0 ? nil : "Digitized materials, batch \(index % 997)",
                            access: object.access, etag: random.hexDigits(32), storageOption: object.storageOption,
                            fileCount: Int64(object.fileCount), fileSize: object.totalSize,
                            createdAt: object.ingestedAt, updatedAt: object.at(seconds: 60))
                try rows.endRow()
            }
            for target in IngestTargets.all {
                writeObject(&rows, id: target.id, identifier: target.identifier, bagName: target.bagName,
                            institutionIndex: target.institutionIndex, title: "Ingest target \(target.bagName)",
                            description: nil, access: "institution", etag: nil, storageOption: "Standard",
                            fileCount: 0, fileSize: 0, createdAt: IngestTargets.createdAt, updatedAt: IngestTargets.createdAt)
                try rows.endRow()
            }
        }
    }

    private func writeObject(_ rows: inout CopyRowBuffer, id: Int64, identifier: String, bagName: String,
                             institutionIndex: Int, title: String, description: String?, access: String,
                             etag: String?, storageOption: String, fileCount: Int64, fileSize: Int64,
                             createdAt: Timestamp, updatedAt: Timestamp) {
        rows.int(id)
        rows.text(identifier)
        rows.text(bagName)
        rows.int(institutionIDs[institutionIndex])
        rows.text(title)
        rows.optionalText(description)
        rows.text(Self.profile)
        rows.text(DatasetPlan.institutions[institutionIndex].name)
        rows.text(access)
        rows.text("A")
        rows.optionalText(etag)
        rows.text(storageOption)
        rows.int(fileCount)
        rows.int(fileSize)
        rows.timestamp(createdAt)
        rows.timestamp(updatedAt)
    }

    func copyFiles(on connection: PGConnection) throws -> Int {
        try CopyRowBuffer.copy("generic_files", [
            "id", "identifier", "intellectual_object_id", "intellectual_object_identifier", "institution_id",
            "file_format", "uri", "size", "state", "storage_option", "last_fixity_check", "created_at", "updated_at",
        ], on: connection) { rows in
            try forEachFile { object, file in
                rows.int(file.id)
                rows.text(file.identifier)
                rows.int(object.id)
                rows.text(object.identifier)
                rows.int(institutionIDs[object.institutionIndex])
                rows.text(file.format)
                rows.text(file.uri)
                rows.int(file.size)
                rows.text("A")
                rows.text(object.storageOption)
                rows.timestamp(EventTimes.fixityCheck(object))  // DOM-73: the ingest's fixity check
                rows.timestamp(EventTimes.fileRecorded(object))
                rows.timestamp(EventTimes.fileRecorded(object))
                try rows.endRow()
            }
        }
    }

    /// md5 and sha256 of every file, computed at ingest.
    func copyChecksums(on connection: PGConnection) throws -> Int {
        try CopyRowBuffer.copy("checksums", ["generic_file_id", "algorithm", "datetime", "digest", "created_at"],
                               on: connection) { rows in
            try forEachFile { object, file in
                for (algorithm, digest) in [("md5", file.md5), ("sha256", file.sha256)] {
                    rows.int(file.id)
                    rows.text(algorithm)
                    rows.timestamp(EventTimes.fixityCheck(object))
                    rows.text(digest)
                    rows.timestamp(EventTimes.fileRecorded(object))
                    try rows.endRow()
                }
            }
        }
    }

    /// DOM-63: the primary record of each file's `uri`; DOM-64: the replica its replication event names.
    func copyStorageRecords(on connection: PGConnection) throws -> Int {
        try CopyRowBuffer.copy("storage_records", ["generic_file_id", "url", "kind", "source_event_id", "created_at",
                                                   "updated_at"], on: connection) { rows in
            var nextEventID: Int64 = 1
            for index in 0..<DatasetPlan.ingestedObjects {
                let object = ObjectShape(index)
                let firstFileID = FileIDs.first(ofObject: index)
                let firstFileEventID = nextEventID + 2
                for position in 0..<object.fileCount {
                    let file = object.file(position, firstFileID: firstFileID)
                    let recorded = EventTimes.fileRecorded(object)
                    rows.int(file.id)
                    rows.text(file.uri)
                    rows.text("primary")
                    rows.null()
                    rows.timestamp(recorded)
                    rows.timestamp(recorded)
                    try rows.endRow()
                    rows.int(file.id)
                    rows.text(file.replicaURL)
                    rows.text("replica")
                    rows.int(firstFileEventID + Int64(position) * 3 + 2)
                    rows.timestamp(recorded)
                    rows.timestamp(recorded)
                    try rows.endRow()
                }
                nextEventID += EventIDs.count(ofObject: object)
            }
        }
    }

    /// Calls `body` for every file of every ingested object, in id order.
    private func forEachFile(_ body: (ObjectShape, ObjectShape.File) throws -> Void) throws {
        var nextFileID: Int64 = 1
        for index in 0..<DatasetPlan.ingestedObjects {
            let object = ObjectShape(index)
            for position in 0..<object.fileCount {
                try body(object, object.file(position, firstFileID: nextFileID))
            }
            nextFileID += Int64(object.fileCount)
        }
    }
}

/// Files get dense ids in ingest order; the first id of each object is a running sum, computed
/// once and shared by every pass.
enum FileIDs {
    static let firstIDs: [Int64] = {
        var ids: [Int64] = []
        ids.reserveCapacity(DatasetPlan.ingestedObjects)
        var next: Int64 = 1
        for index in 0..<DatasetPlan.ingestedObjects {
            ids.append(next)
            next += Int64(ObjectShape(index).fileCount)
        }
        return ids
    }()

    static func first(ofObject index: Int) -> Int64 { firstIDs[index] }
}

/// Events per object: two object-level ones, then three per file (see `EventRowsWriter`).
enum EventIDs {
    static func count(ofObject object: ObjectShape) -> Int64 {
        2 + 3 * Int64(object.fileCount)
    }
}

/// The moments of an object's ingest, shared by rows that must agree (DOM-73: a file's
/// `last_fixity_check` is its fixity event's `date_time`).
enum EventTimes {
    static func objectEvents(_ object: ObjectShape) -> Timestamp { object.at(seconds: 1) }
    static func fixityCheck(_ object: ObjectShape) -> Timestamp { object.at(seconds: 5) }
    static func fileRecorded(_ object: ObjectShape) -> Timestamp { object.at(seconds: 10) }
}

/// The empty objects create_batch adds files to: `<institution>/ingest-target-NN`.
struct IngestTarget {
    let id: Int64
    let institutionIndex: Int
    let bagName: String
    var identifier: String { DatasetPlan.institutions[institutionIndex].identifier + "/" + bagName }
}

enum IngestTargets {
    static let createdAt = Timestamp(microseconds: 1_790_000_000_000_000)  // 2026-09-22

    static let all: [IngestTarget] = {
        var targets: [IngestTarget] = []
        var id = Int64(DatasetPlan.ingestedObjects)
        for institutionIndex in 1..<DatasetPlan.institutions.count {
            for number in 0..<DatasetPlan.ingestTargetsPerInstitution {
                id += 1
                targets.append(IngestTarget(id: id, institutionIndex: institutionIndex,
                                            bagName: "ingest-target-" + ObjectShape.padded(number, 2)))
            }
        }
        return targets
    }()
}
