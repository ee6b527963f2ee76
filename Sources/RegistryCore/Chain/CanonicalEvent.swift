import CryptoSupport
import Formats

/// The canonical serialization of an event (auditor.md AUD-40..43): 14 members in byte order of
/// their names, no whitespace, AUD-42 string escaping, timestamps with six fraction digits.
/// `JSONWriter` escapes exactly as AUD-42 requires, so the same writer produces API JSON and this.
public struct CanonicalEvent: Sendable, Equatable {
    public var agent: String
    public var createdAt: Timestamp
    public var dateTime: Timestamp
    public var detail: String
    public var eventType: String
    public var genericFileIdentifier: String?
    /// Lower-case UUID (DOM-15).
    public var identifier: String
    /// The institution identifier.
    public var institution: String
    public var intellectualObjectIdentifier: String
    public var object: String
    public var outcome: String
    public var outcomeDetail: String
    public var outcomeInformation: String?
    public var sequence: Int64

    public init(agent: String, createdAt: Timestamp, dateTime: Timestamp, detail: String, eventType: String,
                genericFileIdentifier: String?, identifier: String, institution: String,
                intellectualObjectIdentifier: String, object: String, outcome: String, outcomeDetail: String,
                outcomeInformation: String?, sequence: Int64) {
        self.agent = agent
        self.createdAt = createdAt
        self.dateTime = dateTime
        self.detail = detail
        self.eventType = eventType
        self.genericFileIdentifier = genericFileIdentifier
        self.identifier = identifier
        self.institution = institution
        self.intellectualObjectIdentifier = intellectualObjectIdentifier
        self.object = object
        self.outcome = outcome
        self.outcomeDetail = outcomeDetail
        self.outcomeInformation = outcomeInformation
        self.sequence = sequence
    }

    /// The exact bytes that are hashed.
    public var serialized: [UInt8] {
        var bytes = serializedBeforeSequence
        bytes.append(contentsOf: String(sequence).utf8)
        bytes.append(UInt8(ascii: "}"))
        return bytes
    }

    /// The canonical bytes up to and including `"sequence":`. `sequence` is the last member (AUD-40
    /// byte order), so the full text is this prefix, the decimal sequence and `}`: the event store
    /// sends the prefix and lets PostgreSQL append the sequence it assigns under the chain-head lock
    /// (see `EventRows.insert`), which saves a round trip inside that lock.
    public var serializedBeforeSequence: [UInt8] {
        var writer = JSONWriter(capacity: 512)
        writer.beginObject()
        writer.field("agent", agent)
        writer.field("created_at", createdAt)
        writer.field("date_time", dateTime)
        writer.field("detail", detail)
        writer.field("event_type", eventType)
        writer.field("generic_file_identifier", genericFileIdentifier)
        writer.field("identifier", identifier)
        writer.field("institution", institution)
        writer.field("intellectual_object_identifier", intellectualObjectIdentifier)
        writer.field("object", object)
        writer.field("outcome", outcome)
        writer.field("outcome_detail", outcomeDetail)
        writer.field("outcome_information", outcomeInformation)
        writer.key("sequence")
        return writer.bytes
    }

    /// AUD-43: SHA-256 of the canonical bytes.
    public var entryHash: [UInt8] { SHA256.hash(serialized) }
}

/// AUD-43: `chain_hash(n) = SHA-256(chain_hash(n−1) ‖ entry_hash(n))`, `chain_hash(0)` = 32 zero bytes.
public enum ChainHash {
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public static func next(previous: [UInt8], entry: [UInt8]) -> [UInt8] {
        SHA256.hash(previous + entry)
    }
}
