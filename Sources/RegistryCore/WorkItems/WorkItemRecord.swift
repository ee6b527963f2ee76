import Formats
import Postgres

/// Every stored column of a work item except `id` and the timestamps the server keeps (domain.md
/// §4.8). Creates build one; updates load the stored one, apply the changes, derive (DOM-75) and
/// write every column back (API-107: last writer wins).
public struct WorkItemRecord: Sendable {
    public var name: String
    public var etag: String?
    public var bagDate: Timestamp
    public var bucket: String
    public var user: String
    public var institutionID: Int64
    public var date: Timestamp
    public var note: String
    public var outcome: String
    public var action: String
    public var stage: String
    public var status: String
    public var retry: Bool
    public var needsAdminReview: Bool
    public var objectIdentifier: String?
    public var genericFileIdentifier: String?
    public var intellectualObjectID: Int64?
    public var genericFileID: Int64?
    public var node: String?
    public var pid: Int64
    public var queuedAt: Timestamp?
    public var stageStartedAt: Timestamp?
    public var size: Int64?
    public var instApprover: String?
    public var aptrustApprover: String?
    public var deletionRequestID: Int64?

    public init(name: String, etag: String?, bagDate: Timestamp, bucket: String, user: String, institutionID: Int64,
                date: Timestamp, note: String, outcome: String, action: String, stage: String, status: String,
                retry: Bool = false, needsAdminReview: Bool = false, objectIdentifier: String? = nil,
                genericFileIdentifier: String? = nil, intellectualObjectID: Int64? = nil, genericFileID: Int64? = nil,
                node: String? = nil, pid: Int64 = 0, queuedAt: Timestamp? = nil, stageStartedAt: Timestamp? = nil,
                size: Int64? = nil, instApprover: String? = nil, aptrustApprover: String? = nil,
                deletionRequestID: Int64? = nil) {
        self.name = name
        self.etag = etag
        self.bagDate = bagDate
        self.bucket = bucket
        self.user = user
        self.institutionID = institutionID
        self.date = date
        self.note = note
        self.outcome = outcome
        self.action = action
        self.stage = stage
        self.status = status
        self.retry = retry
        self.needsAdminReview = needsAdminReview
        self.objectIdentifier = objectIdentifier
        self.genericFileIdentifier = genericFileIdentifier
        self.intellectualObjectID = intellectualObjectID
        self.genericFileID = genericFileID
        self.node = node
        self.pid = pid
        self.queuedAt = queuedAt
        self.stageStartedAt = stageStartedAt
        self.size = size
        self.instApprover = instApprover
        self.aptrustApprover = aptrustApprover
        self.deletionRequestID = deletionRequestID
    }
}

extension WorkItemRecord {
    /// The columns `load` decodes, in its order.
    static let columns: PGQuery = """
        SELECT name, etag, bag_date, bucket, "user", institution_id, date, note, outcome, action, stage, status,
               retry, needs_admin_review, object_identifier, generic_file_identifier, intellectual_object_id,
               generic_file_id, node, pid, queued_at, stage_started_at, size, inst_approver, aptrust_approver,
               deletion_request_id
        FROM work_items
        """

    /// The stored item, row-locked until the transaction ends (`FOR NO KEY UPDATE`), or nil.
    static func loadForUpdate(id: Int64, on connection: PGConnection) throws -> WorkItemRecord? {
        var query = columns
        query.append(" WHERE id = \(id) FOR NO KEY UPDATE")
        let result = try connection.query(query)
        guard result.rowCount == 1 else { return nil }
        return try WorkItemRecord(result, row: 0)
    }

    private init(_ result: PGResult, row: Int) throws {
        func required<T>(_ value: T?, _ column: String) throws -> T {
            guard let value else { throw PGError(kind: .other, message: "work_items.\(column) is NULL") }
            return value
        }
        self.init(
            name: try required(result.string(row, 0), "name"), etag: result.string(row, 1),
            bagDate: try required(result.timestamp(row, 2), "bag_date"), bucket: try required(result.string(row, 3), "bucket"),
            user: try required(result.string(row, 4), "user"), institutionID: try required(result.int64(row, 5), "institution_id"),
            date: try required(result.timestamp(row, 6), "date"), note: try required(result.string(row, 7), "note"),
            outcome: try required(result.string(row, 8), "outcome"), action: try required(result.string(row, 9), "action"),
            stage: try required(result.string(row, 10), "stage"), status: try required(result.string(row, 11), "status"),
            retry: try required(result.bool(row, 12), "retry"),
            needsAdminReview: try required(result.bool(row, 13), "needs_admin_review"),
            objectIdentifier: result.string(row, 14), genericFileIdentifier: result.string(row, 15),
            intellectualObjectID: try result.int64(row, 16), genericFileID: try result.int64(row, 17),
            node: result.string(row, 18), pid: try required(result.int64(row, 19), "pid"),
            queuedAt: try result.timestamp(row, 20), stageStartedAt: try result.timestamp(row, 21),
            size: try result.int64(row, 22), instApprover: result.string(row, 23), aptrustApprover: result.string(row, 24),
            deletionRequestID: try result.int64(row, 25))
    }
}
