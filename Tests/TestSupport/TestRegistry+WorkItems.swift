import Foundation

/// Work items written straight into the database, with chosen timestamps, for tests of routes that
/// read them (alerts, notification triggers, reports) rather than of the work item routes.
extension TestRegistry {
    /// The columns of a test work item; times are seconds before now (nil = NULL where allowed).
    public struct TestWorkItem: Sendable {
        public var institution: String
        public var name: String
        public var action: String
        public var stage: String
        public var status: String
        public var objectIdentifier: String?
        public var fileIdentifier: String?
        public var user: String
        public var instApprover: String?
        public var aptrustApprover: String?
        /// `updated_at` = now − this many seconds (also `created_at` and `date`).
        public var updatedSecondsAgo: Double
        /// `queued_at` = now − this many seconds; nil = never queued.
        public var queuedSecondsAgo: Double?

        public init(institution: String = "test.edu", name: String = "bag.tar", action: String = "Ingest",
                    stage: String = "Receive", status: String = "Pending", objectIdentifier: String? = nil,
                    fileIdentifier: String? = nil, user: String = "user@test.edu", instApprover: String? = nil,
                    aptrustApprover: String? = nil, updatedSecondsAgo: Double = 60, queuedSecondsAgo: Double? = nil) {
            self.institution = institution
            self.name = name
            self.action = action
            self.stage = stage
            self.status = status
            self.objectIdentifier = objectIdentifier
            self.fileIdentifier = fileIdentifier
            self.user = user
            self.instApprover = instApprover
            self.aptrustApprover = aptrustApprover
            self.updatedSecondsAgo = updatedSecondsAgo
            self.queuedSecondsAgo = queuedSecondsAgo
        }
    }

    /// Inserts `item` and returns its id.
    @discardableResult
    public func makeWorkItem(_ item: TestWorkItem) throws -> Int64 {
        let rows = try sql().query("""
            INSERT INTO work_items (name, etag, bag_date, bucket, "user", institution_id, date, note, outcome, action, stage,
                                    status, object_identifier, generic_file_identifier, inst_approver, aptrust_approver,
                                    queued_at, created_at, updated_at)
            SELECT $1, 'etag', now(), 'aptrust.receiving.' || i.identifier, $2, i.id,
                   now() - make_interval(secs => $3::float8), 'note', 'outcome', $4, $5, $6, $7, $8, $9, $10,
                   now() - make_interval(secs => $11::float8),
                   now() - make_interval(secs => $3::float8), now() - make_interval(secs => $3::float8)
            FROM institutions i WHERE i.identifier = $12
            RETURNING id
            """, [item.name, item.user, String(item.updatedSecondsAgo), item.action, item.stage, item.status,
                  item.objectIdentifier, item.fileIdentifier, item.instApprover, item.aptrustApprover,
                  item.queuedSecondsAgo.map { String($0) }, item.institution])
        guard let id = rows.first?[0].flatMap({ Int64($0) }) else {
            throw RawHTTPError.malformed("test work item: unknown institution \(item.institution)")
        }
        return id
    }
}
