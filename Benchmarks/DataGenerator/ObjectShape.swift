import Formats

/// Everything about ingested object `index` that the loading passes need, derived from the index
/// alone (see `DeterministicRandom`). Per-file values are computed on demand by `file(_:)`, so a
/// pass that only needs counts does not build 2 million identifiers.
struct ObjectShape {
    static let formats: [(mime: String, ext: String, folder: String)] = [
        ("application/pdf", "pdf", "documents"), ("image/tiff", "tif", "images"), ("image/jpeg", "jpg", "images"),
        ("text/xml", "xml", "metadata"), ("text/plain", "txt", "metadata"), ("audio/x-wav", "wav", "audio"),
    ]
    static let storageOptions = ["Standard", "Standard", "Standard", "Standard", "Standard", "Standard", "Standard",
                                 "Standard", "Standard", "Glacier-Deep-OR"]

    let index: Int
    let id: Int64
    let institutionIndex: Int
    let institution: String
    let bagName: String
    let identifier: String
    let ingestedAt: Timestamp
    let access: String
    let storageOption: String
    let fileSizes: [Int64]

    init(_ index: Int) {
        self.index = index
        id = Int64(index + 1)
        institutionIndex = DatasetPlan.institutionIndex(ofObject: index)
        institution = DatasetPlan.institutions[institutionIndex].identifier
        bagName = "bag-" + Self.padded(DatasetPlan.ordinal(ofObject: index), 6)
        identifier = institution + "/" + bagName
        ingestedAt = DatasetPlan.ingestTime(ofObject: index)
        var random = DeterministicRandom(seed: index, stream: 1)
        let accessDraw = random.below(20)
        access = accessDraw < 14 ? "institution" : accessDraw < 19 ? "consortia" : "restricted"
        storageOption = Self.storageOptions[random.below(Self.storageOptions.count)]
        // 1–15 files, 8 on average: about 2.08 million files for 260,000 objects.
        let count = 1 + random.below(15)
        fileSizes = (0..<count).map { _ in
            let magnitude = 10 + random.below(17)  // 1 KiB … 128 MiB, log-uniform
            return Int64(1 << magnitude) + Int64(random.below(1 << magnitude))
        }
    }

    var fileCount: Int { fileSizes.count }
    var totalSize: Int64 { fileSizes.reduce(0, +) }
    var title: String { "\(DatasetPlan.institutions[institutionIndex].name) collection item \(bagName)" }

    /// A file of this object: its id is dense over all files in ingest order (`firstFileID + i`).
    struct File {
        let id: Int64
        let identifier: String
        let format: String
        let size: Int64
        let uri: String
        let replicaURL: String
        let md5: String
        let sha256: String
        /// Identifiers of its three events: fixity check, identifier assignment, replication.
        let eventIdentifiers: [String]
    }

    func file(_ position: Int, firstFileID: Int64) -> File {
        var random = DeterministicRandom(seed: index * 32 + position, stream: 2)
        let format = Self.formats[random.below(Self.formats.count)]
        let name = "\(format.folder)/item-\(Self.padded(position, 3)).\(format.ext)"
        return File(
            id: firstFileID + Int64(position), identifier: identifier + "/data/" + name, format: format.mime,
            size: fileSizes[position],
            uri: "https://s3.amazonaws.com/aptrust.preservation.storage/" + random.uuid(),
            replicaURL: "https://s3.us-west-2.amazonaws.com/aptrust.preservation.oregon/" + random.uuid(),
            md5: random.hexDigits(32), sha256: random.hexDigits(64),
            eventIdentifiers: [random.uuid(), random.uuid(), random.uuid()])
    }

    /// Identifiers of the two object-level events (ingestion, access assignment).
    var objectEventIdentifiers: [String] {
        var random = DeterministicRandom(seed: index, stream: 3)
        return [random.uuid(), random.uuid()]
    }

    /// Moments of the ingest, `seconds` after the object's ingest started.
    func at(seconds: Int64, micros: Int64 = 0) -> Timestamp {
        Timestamp(microseconds: ingestedAt.microseconds + seconds * 1_000_000 + micros)
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.utf8.count)) + text
    }
}
