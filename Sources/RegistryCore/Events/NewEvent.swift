/// A PREMIS event to store, already validated and with its parents resolved (api-v2.md API-100).
public struct NewEvent: Sendable {
    public var content: EventContent
    public var objectID: Int64
    public var objectIdentifier: String
    public var fileID: Int64?
    public var fileIdentifier: String?

    public init(content: EventContent, objectID: Int64, objectIdentifier: String, fileID: Int64?,
                fileIdentifier: String?) {
        self.content = content
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
