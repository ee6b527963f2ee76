import Formats

/// A checksum read from a request body, validated (DOM-17: digest lower-cased, length checked).
public struct ChecksumInput: Sendable {
    public var algorithm: String
    /// Truncated to microseconds (DOM-2).
    public var datetime: Timestamp
    public var digest: String
    /// API-64: a positive `id` must name an existing checksum of the parent file; it is then skipped.
    public var existingID: Int64?
    /// A positive body `generic_file_id`: must be the parent file's id (DOM-71).
    public var claimedFileID: Int64?
    /// Where field errors about this child go (`checksums[0].`, `files[3].checksums[0].`).
    public var errorPrefix: String

    public init(algorithm: String, datetime: Timestamp, digest: String, existingID: Int64?, claimedFileID: Int64?,
                errorPrefix: String) {
        self.algorithm = algorithm
        self.datetime = datetime
        self.digest = digest
        self.existingID = existingID
        self.claimedFileID = claimedFileID
        self.errorPrefix = errorPrefix
    }
}

/// A PREMIS event nested in a file body: its parents are the file and its object (api-v2.md API-97),
/// so only the event's own fields are carried.
public struct FileEventInput: Sendable {
    public var content: EventContent
    /// API-64: a positive `id` must name an existing event of the parent file; it is then skipped.
    public var existingID: Int64?
    /// A positive body `generic_file_id` (API-24: `0` means "the file being created").
    public var claimedFileID: Int64?
    public var errorPrefix: String

    public init(content: EventContent, existingID: Int64?, claimedFileID: Int64?, errorPrefix: String) {
        self.content = content
        self.existingID = existingID
        self.claimedFileID = claimedFileID
        self.errorPrefix = errorPrefix
    }
}

/// One file to create (api-v2.md API-97, API-98), validated except for what needs the database.
public struct FileInput: Sendable {
    public var identifier: String
    public var uri: String
    public var size: Int64
    public var fileFormat: String
    /// DOM-74: the body's value, else the column default.
    public var lastFixityCheck: Timestamp?
    public var checksums: [ChecksumInput]
    public var events: [FileEventInput]
    /// `""` for a single create, `files[3].` inside create_batch (API-50).
    public var errorPrefix: String

    public init(identifier: String, uri: String, size: Int64, fileFormat: String, lastFixityCheck: Timestamp?,
                checksums: [ChecksumInput], events: [FileEventInput], errorPrefix: String) {
        self.identifier = identifier
        self.uri = uri
        self.size = size
        self.fileFormat = fileFormat
        self.lastFixityCheck = lastFixityCheck
        self.checksums = checksums
        self.events = events
        self.errorPrefix = errorPrefix
    }
}

/// The permitted changes of a file update (api-v2.md API-99); nil = absent from the body, unchanged.
public struct FileChanges: Sendable {
    public var uri: String?
    public var size: Int64?
    public var fileFormat: String?
    public var lastFixityCheck: Timestamp?
    public var checksums: [ChecksumInput]
    public var events: [FileEventInput]

    public init(uri: String?, size: Int64?, fileFormat: String?, lastFixityCheck: Timestamp?,
                checksums: [ChecksumInput], events: [FileEventInput]) {
        self.uri = uri
        self.size = size
        self.fileFormat = fileFormat
        self.lastFixityCheck = lastFixityCheck
        self.checksums = checksums
        self.events = events
    }
}

/// What the caller needs after a file write: the ids to read back, and what to count.
public struct FileWriteOutcome: Sendable {
    /// One id per input file, in input order.
    public let fileIDs: [Int64]
    /// Every file and every nested child already existed with the same content (API-60, API-63).
    public let everythingReplayed: Bool
    /// Files answered as replays (for `registry_idempotent_replays_total`).
    public let replayedFiles: Int
    /// (event_type, outcome) of every event stored, for `registry_events_created_total`.
    public let createdEvents: [(eventType: String, outcome: String)]
}
