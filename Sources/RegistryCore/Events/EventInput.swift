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
