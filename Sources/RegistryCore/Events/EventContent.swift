import Formats

/// The nine content fields of a PREMIS event (api-v2.md API-100), shared by every way an event
/// enters the registry: `POST /events` (`EventInput`), an event nested in a file body
/// (`FileEventInput`) and the resolved event handed to `EventStore` (`NewEvent`).
///
/// Each field is already valid: `identifier` a lower-case UUID (DOM-15), vocabularies exact
/// (DOM-36, DOM-37), `date_time` truncated to microseconds (DOM-2), required text non-blank (DOM-4),
/// `outcome_information` nil for `""`.
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
