import Formats

/// The content fields of a posted event (api-v2.md API-100), each already valid: `identifier` a
/// lower-case UUID (DOM-15), vocabularies exact (DOM-36, DOM-37), `date_time` truncated to
/// microseconds (DOM-2), required text non-blank (DOM-4), `outcome_information` nil for `""`.
public struct EventContent: Sendable {
    public var identifier: String
    public var eventType: String
    public var dateTime: Timestamp
    public var detail: String
    public var outcome: String
    public var outcomeDetail: String
    public var outcomeInformation: String?
    public var object: String
    public var agent: String

    public init(identifier: String, eventType: String, dateTime: Timestamp, detail: String, outcome: String,
                outcomeDetail: String, outcomeInformation: String?, object: String, agent: String) {
        self.identifier = identifier
        self.eventType = eventType
        self.dateTime = dateTime
        self.detail = detail
        self.outcome = outcome
        self.outcomeDetail = outcomeDetail
        self.outcomeInformation = outcomeInformation
        self.object = object
        self.agent = agent
    }
}

/// How a posted event names its parents (API-100, DOM-71). Reference ids of `0` or `null` are
/// already absent here (API-24); `""` identifiers likewise (DOM-4).
public struct EventParentReference: Sendable, Equatable {
    public var fileIdentifier: String?
    public var fileID: Int64?
    public var objectIdentifier: String?
    public var objectID: Int64?
    /// A body `institution_id`: checked against the object's (DOM-71), never used to choose it.
    public var institutionID: Int64?

    public init(fileIdentifier: String? = nil, fileID: Int64? = nil, objectIdentifier: String? = nil,
                objectID: Int64? = nil, institutionID: Int64? = nil) {
        self.fileIdentifier = fileIdentifier
        self.fileID = fileID
        self.objectIdentifier = objectIdentifier
        self.objectID = objectID
        self.institutionID = institutionID
    }

    /// API-100: a file named by either field makes the event a file event.
    public var namesFile: Bool { fileIdentifier != nil || fileID != nil }
}

/// A parsed `POST /events` body: the content (nil when any content field was invalid), the parent
/// references, and every field error found so far. Parent errors need the database, so they are
/// added by `EventCreation` before anything is reported, and the caller gets all of them at once
/// (API-52).
public struct EventInput: Sendable {
    public var content: EventContent?
    public var parent: EventParentReference
    public var errors: FieldErrors

    public init(content: EventContent?, parent: EventParentReference, errors: FieldErrors) {
        self.content = content
        self.parent = parent
        self.errors = errors
    }
}
