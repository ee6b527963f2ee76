/// What a requeue does to an item of a given action (domain.md DOM-115), decided before the item
/// is touched so an invalid `stage` is a 422 whatever the item's status (DOM-96b: validity before
/// state).
public struct RequeuePlan: Sendable, Equatable {
    /// The new stage; nil keeps the stored one (`Fixity Check`).
    public let stage: String?
    /// The new note; nil keeps the stored one.
    public let note: String?
    /// The new outcome; nil keeps the stored one.
    public let outcome: String?
    /// Whether the item's state row is deleted.
    public let deletesState: Bool

    public init(stage: String?, note: String?, outcome: String?, deletesState: Bool) {
        self.stage = stage
        self.note = note
        self.outcome = outcome
        self.deletesState = deletesState
    }

    /// The DOM-115 table. `stage` is the request's parameter (only `Ingest` needs it: `Fetch`,
    /// `Store` or `Record`); `deleteState` the `delete_state` flag. Throws 422 on `stage` for an
    /// `Ingest` item without a valid one.
    ///
    /// Where the table is silent, `delete_state=true` deletes the state row for every action: it
    /// is an explicit admin request, and keeping the row would silently ignore it.
    public static func forAction(_ action: String, stage: String?, deleteState: Bool) throws(RegistryError) -> RequeuePlan {
        switch action {
        case "Delete":
            return RequeuePlan(stage: "Requested", note: "Delete requested", outcome: "Not started", deletesState: deleteState)
        case "Restore", "Glacier Restore":
            return RequeuePlan(stage: "Requested", note: "Restore requested", outcome: nil, deletesState: deleteState)
        case "Ingest":
            switch stage {
            case "Fetch":
                return RequeuePlan(stage: "Receive", note: "Item is pending ingest", outcome: nil, deletesState: true)
            case "Store":
                return RequeuePlan(stage: "Store", note: "Item is pending storage", outcome: nil, deletesState: deleteState)
            case "Record":
                return RequeuePlan(stage: "Record", note: "Item is pending record", outcome: nil, deletesState: deleteState)
            default:
                throw .validation(FieldErrors("stage", "is not included in the list"))
            }
        default:
            // `Fixity Check`: the stage stays.
            return RequeuePlan(stage: nil, note: nil, outcome: nil, deletesState: deleteState)
        }
    }

    /// The item after the requeue: the common resets of DOM-115, then this plan's stage and texts.
    func applied(to stored: WorkItemRecord) -> WorkItemRecord {
        var record = stored
        record.status = "Pending"
        record.retry = true
        record.needsAdminReview = false
        record.node = nil
        record.pid = 0
        record.queuedAt = nil
        record.stageStartedAt = nil
        if let stage { record.stage = stage }
        if let note { record.note = note }
        if let outcome { record.outcome = outcome }
        return record
    }
}
