import Formats

/// A PREMIS event to store, already validated and with its parents resolved (api-v2.md API-100).
public struct NewEvent: Sendable {
    /// Lower-case UUID (DOM-15).
    public var identifier: String
    public var eventType: String
    /// Truncated to microseconds (DOM-2).
    public var dateTime: Timestamp
    public var detail: String
    public var outcome: String
    public var outcomeDetail: String
    public var outcomeInformation: String?
    public var object: String
    public var agent: String
    public var objectID: Int64
    public var objectIdentifier: String
    public var fileID: Int64?
    public var fileIdentifier: String?

    public init(identifier: String, eventType: String, dateTime: Timestamp, detail: String, outcome: String,
                outcomeDetail: String, outcomeInformation: String?, object: String, agent: String, objectID: Int64,
                objectIdentifier: String, fileID: Int64?, fileIdentifier: String?) {
        self.identifier = identifier
        self.eventType = eventType
        self.dateTime = dateTime
        self.detail = detail
        self.outcome = outcome
        self.outcomeDetail = outcomeDetail
        self.outcomeInformation = outcomeInformation
        self.object = object
        self.agent = agent
        self.objectID = objectID
        self.objectIdentifier = objectIdentifier
        self.fileID = fileID
        self.fileIdentifier = fileIdentifier
    }
}

/// What happened to one event of an append (API-60, API-64).
public enum EventOutcome: Sendable, Equatable {
    case created(id: Int64)
    /// The identifier existed with the same content: nothing stored.
    case replayed(id: Int64)
    /// The identifier existed with other content: the request is a 422.
    case conflict
}
