import Formats

/// A validated work item update (api-v2.md API-107): a field left nil (or `.unchanged`) keeps its
/// stored value. `action` and `institution_id` are absent on purpose: they can only be sent
/// unchanged, which the API checks before building this.
public struct WorkItemChanges: Sendable {
    /// A nullable column's change: keep, clear (`null`, or `""` for text, DOM-66a) or set.
    public enum Nullable<Value: Sendable>: Sendable {
        case unchanged
        case clear
        case set(Value)
    }

    public var name: String?
    public var etag: Nullable<String> = .unchanged
    public var bagDate: Timestamp?
    public var bucket: String?
    public var user: String?
    public var date: Timestamp?
    public var note: String?
    public var outcome: String?
    public var stage: String?
    public var status: String?
    /// DOM-66: absent keeps the stored value.
    public var retry: Bool?
    public var needsAdminReview: Bool?
    public var objectIdentifier: Nullable<String> = .unchanged
    public var genericFileIdentifier: Nullable<String> = .unchanged
    /// A positive body id (API-24: `0`/`null` are absent); checked against the identifier (DOM-75).
    public var intellectualObjectID: Int64?
    public var genericFileID: Int64?
    public var node: Nullable<String> = .unchanged
    public var pid: Int64?
    public var queuedAt: Nullable<Timestamp> = .unchanged
    public var stageStartedAt: Nullable<Timestamp> = .unchanged
    public var size: Nullable<Int64> = .unchanged
    public var instApprover: Nullable<String> = .unchanged
    public var aptrustApprover: Nullable<String> = .unchanged
    /// API-107: a positive id sets it, `null` clears it (a nullable field, not one of API-24's
    /// reference ids), `0` leaves it (the workers echo `0` for "none").
    public var deletionRequestID: Nullable<Int64> = .unchanged

    public init() {}

    /// The stored record with these changes applied (before derivations).
    func applied(to stored: WorkItemRecord) -> WorkItemRecord {
        var record = stored
        if let name { record.name = name }
        Self.apply(etag, to: &record.etag)
        if let bagDate { record.bagDate = bagDate }
        if let bucket { record.bucket = bucket }
        if let user { record.user = user }
        if let date { record.date = date }
        if let note { record.note = note }
        if let outcome { record.outcome = outcome }
        if let stage { record.stage = stage }
        if let status { record.status = status }
        if let retry { record.retry = retry }
        if let needsAdminReview { record.needsAdminReview = needsAdminReview }
        Self.apply(objectIdentifier, to: &record.objectIdentifier)
        Self.apply(genericFileIdentifier, to: &record.genericFileIdentifier)
        Self.apply(node, to: &record.node)
        if let pid { record.pid = pid }
        Self.apply(queuedAt, to: &record.queuedAt)
        Self.apply(stageStartedAt, to: &record.stageStartedAt)
        Self.apply(size, to: &record.size)
        Self.apply(instApprover, to: &record.instApprover)
        Self.apply(aptrustApprover, to: &record.aptrustApprover)
        Self.apply(deletionRequestID, to: &record.deletionRequestID)
        return record
    }

    private static func apply<Value>(_ change: Nullable<Value>, to stored: inout Value?) {
        switch change {
        case .unchanged: break
        case .clear: stored = nil
        case .set(let value): stored = value
        }
    }
}
