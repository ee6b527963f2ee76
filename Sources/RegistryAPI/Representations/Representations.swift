/// The representations of api-v2.md §8: every field, in order, with the SQL that produces it.
/// Table aliases used by every query: `i` institutions, `o` intellectual_objects, `f` generic_files,
/// `c` checksums, `e` premis_events, `s` storage_records, `w` work_items, `ws` work_item_states.
public enum Representations {
    public static let institution = Representation([
        ("id", "i.id", .integer),
        ("identifier", "i.identifier", .text),
        ("name", "i.name", .text),
        ("type", "i.type", .text),
        ("member_institution_id", "i.member_institution_id", .integer),
        ("state", "i.state", .text),
        ("deactivated_at", "i.deactivated_at", .timestamp),
        ("receiving_bucket", "i.receiving_bucket", .text),
        ("restore_bucket", "i.restore_bucket", .text),
        ("created_at", "i.created_at", .timestamp),
        ("updated_at", "i.updated_at", .timestamp),
    ])

    /// Needs `JOIN institutions i ON i.id = o.institution_id`.
    public static let object = Representation([
        ("id", "o.id", .integer),
        ("identifier", "o.identifier", .text),
        ("bag_name", "o.bag_name", .text),
        ("title", "o.title", .text),
        ("description", "o.description", .text),
        ("alt_identifier", "o.alt_identifier", .text),
        ("access", "o.access", .text),
        ("institution", "i.identifier", .text),
        ("institution_id", "o.institution_id", .integer),
        ("state", "o.state", .text),
        ("etag", "o.etag", .text),
        ("bag_group_identifier", "o.bag_group_identifier", .text),
        ("storage_option", "o.storage_option", .text),
        ("bagit_profile_identifier", "o.bagit_profile_identifier", .text),
        ("source_organization", "o.source_organization", .text),
        ("internal_sender_identifier", "o.internal_sender_identifier", .text),
        ("internal_sender_description", "o.internal_sender_description", .text),
        ("file_count", "o.file_count", .integer),
        ("file_size", "o.file_size", .integer),
        ("created_at", "o.created_at", .timestamp),
        ("updated_at", "o.updated_at", .timestamp),
    ])

    public static let file = Representation([
        ("id", "f.id", .integer),
        ("identifier", "f.identifier", .text),
        ("intellectual_object_id", "f.intellectual_object_id", .integer),
        ("intellectual_object_identifier", "f.intellectual_object_identifier", .text),
        ("institution_id", "f.institution_id", .integer),
        ("file_format", "f.file_format", .text),
        ("uri", "f.uri", .text),
        ("size", "f.size", .integer),
        ("state", "f.state", .text),
        ("storage_option", "f.storage_option", .text),
        ("last_fixity_check", "f.last_fixity_check", .timestamp),
        ("created_at", "f.created_at", .timestamp),
        ("updated_at", "f.updated_at", .timestamp),
    ])

    /// Needs `JOIN generic_files f ON f.id = c.generic_file_id`. API-70: updated_at = created_at.
    public static let checksum = Representation([
        ("id", "c.id", .integer),
        ("generic_file_id", "c.generic_file_id", .integer),
        ("generic_file_identifier", "f.identifier", .text),
        ("algorithm", "c.algorithm", .text),
        ("datetime", "c.datetime", .timestamp),
        ("digest", "c.digest", .text),
        ("created_at", "c.created_at", .timestamp),
        ("updated_at", "c.created_at", .timestamp),
    ])

    /// Needs `JOIN institutions i ON i.id = e.institution_id`. API-70: updated_at = created_at.
    public static let event = Representation([
        ("id", "e.id", .integer),
        ("identifier", "e.identifier", .text),
        ("event_type", "e.event_type", .text),
        ("date_time", "e.date_time", .timestamp),
        ("detail", "e.detail", .text),
        ("outcome", "e.outcome", .text),
        ("outcome_detail", "e.outcome_detail", .text),
        ("outcome_information", "e.outcome_information", .text),
        ("object", "e.object", .text),
        ("agent", "e.agent", .text),
        ("intellectual_object_id", "e.intellectual_object_id", .integer),
        ("intellectual_object_identifier", "e.intellectual_object_identifier", .text),
        ("generic_file_id", "e.generic_file_id", .integer),
        ("generic_file_identifier", "e.generic_file_identifier", .text),
        ("institution_id", "e.institution_id", .integer),
        ("institution", "i.identifier", .text),
        ("sequence", "e.sequence", .integer),
        ("entry_hash", "e.entry_hash", .hex),
        ("chain_hash", "e.chain_hash", .hex),
        ("created_at", "e.created_at", .timestamp),
        ("updated_at", "e.created_at", .timestamp),
    ])

    /// Needs `JOIN generic_files f ON f.id = s.generic_file_id LEFT JOIN premis_events se ON se.id = s.source_event_id`.
    public static let storageRecord = Representation([
        ("id", "s.id", .integer),
        ("generic_file_id", "s.generic_file_id", .integer),
        ("generic_file_identifier", "f.identifier", .text),
        ("url", "s.url", .text),
        ("kind", "s.kind", .text),
        ("source_event_identifier", "se.identifier", .text),
        ("created_at", "s.created_at", .timestamp),
        ("superseded_at", "s.superseded_at", .timestamp),
    ])

    /// A deletion request (api-v2.md §8) without the show-only lists; needs
    /// `DeletionListRoutes.from` (`d` deletion_requests, `i` institution, `ru`/`iu`/`au`/`cu` the
    /// requester, approvers and canceller). `status` shows the derived `expired` (domain.md §8.6);
    /// the counts come from the join tables fixed at request time (DOM-120a).
    public static let deletionRequest = Representation([
        ("id", "d.id", .integer),
        ("institution", "i.identifier", .text),
        ("institution_id", "d.institution_id", .integer),
        ("kind", "d.kind", .text),
        ("status", """
            CASE WHEN d.status IN ('requested', 'institution_approved') AND d.token_expires_at <= now()
                 THEN 'expired' ELSE d.status END
            """, .text),
        ("requested_by", "ru.email", .text),
        ("requested_at", "d.requested_at", .timestamp),
        ("token_expires_at", "d.token_expires_at", .timestamp),
        ("inst_approver", "iu.email", .text),
        ("inst_approved_at", "d.inst_approved_at", .timestamp),
        ("aptrust_approver", "au.email", .text),
        ("aptrust_approved_at", "d.aptrust_approved_at", .timestamp),
        ("cancelled_by", "cu.email", .text),
        ("cancelled_at", "d.cancelled_at", .timestamp),
        ("completed_at", "d.completed_at", .timestamp),
        ("note", "d.note", .text),
        // Index-only counts on the join tables' (request, record) keys, within the one list query.
        ("object_count", "(SELECT count(*) FROM deletion_request_objects x WHERE x.deletion_request_id = d.id)", .integer),
        ("file_count", "(SELECT count(*) FROM deletion_request_files y WHERE y.deletion_request_id = d.id)", .integer),
    ])

    /// Needs `LEFT JOIN work_item_states ws ON ws.work_item_id = w.id` (DOM-76: one join, no
    /// per-item query). `node` and `pid` are for admins only: see `workItemForAdmin`.
    public static let workItem = Representation(workItemColumns(admin: false))
    public static let workItemForAdmin = Representation(workItemColumns(admin: true))

    private static func workItemColumns(admin: Bool) -> [(StaticString, StaticString, CellKind)] {
        var columns: [(StaticString, StaticString, CellKind)] = [
            ("id", "w.id", .integer),
            ("name", "w.name", .text),
            ("etag", "w.etag", .text),
            ("bag_date", "w.bag_date", .timestamp),
            ("bucket", "w.bucket", .text),
            ("user", "w.\"user\"", .text),
            ("note", "w.note", .text),
            ("action", "w.action", .text),
            ("stage", "w.stage", .text),
            ("status", "w.status", .text),
            ("outcome", "w.outcome", .text),
            ("date", "w.date", .timestamp),
            ("retry", "w.retry", .boolean),
            ("needs_admin_review", "w.needs_admin_review", .boolean),
            ("object_identifier", "w.object_identifier", .text),
            ("generic_file_identifier", "w.generic_file_identifier", .text),
            ("intellectual_object_id", "w.intellectual_object_id", .integer),
            ("generic_file_id", "w.generic_file_id", .integer),
            ("institution_id", "w.institution_id", .integer),
        ]
        if admin {
            columns += [("node", "w.node", .text), ("pid", "w.pid", .integer)]
        }
        columns += [
            ("queued_at", "w.queued_at", .timestamp),
            ("size", "w.size", .integer),
            ("stage_started_at", "w.stage_started_at", .timestamp),
            ("inst_approver", "w.inst_approver", .text),
            ("aptrust_approver", "w.aptrust_approver", .text),
            ("deletion_request_id", "w.deletion_request_id", .integer),
            ("work_item_state_id", "ws.id", .integer),
            ("created_at", "w.created_at", .timestamp),
            ("updated_at", "w.updated_at", .timestamp),
        ]
        return columns
    }

    /// The Notification representation (api-v2.md §8; table alias `n`). `recipients` is a text[]
    /// that PostgreSQL renders as a JSON array (`[]` when NULL).
    public static let notification = Representation([
        ("id", "n.id", .integer),
        ("notification_type", "n.notification_type", .text),
        ("institution_id", "n.institution_id", .integer),
        ("recipients", "array_to_json(n.recipients)", .jsonArray),
        ("subject", "n.subject", .text),
        ("body", "n.body", .text),
        ("attachment_name", "n.attachment_name", .text),
        ("attachment_content_type", "n.attachment_content_type", .text),
        ("status", "n.status", .text),
        ("attempts", "n.attempts", .integer),
        ("last_error", "n.last_error", .text),
        ("deletion_request_id", "n.deletion_request_id", .integer),
        ("created_at", "n.created_at", .timestamp),
        ("sent_at", "n.sent_at", .timestamp),
    ])

    /// Every column of `audit_log` (api-v2.md §8 Audit entry; table alias `a`).
    public static let auditEntry = Representation([
        ("id", "a.id", .integer),
        ("created_at", "a.created_at", .timestamp),
        ("occurred_at", "a.occurred_at", .timestamp),
        ("request_id", "a.request_id", .text),
        ("actor_user_id", "a.actor_user_id", .integer),
        ("actor_email", "a.actor_email", .text),
        ("auth_method", "a.auth_method", .text),
        ("remote_addr", "a.remote_addr", .text),
        ("action", "a.action", .text),
        ("resource_type", "a.resource_type", .text),
        ("resource_id", "a.resource_id", .integer),
        ("resource_identifier", "a.resource_identifier", .text),
        ("institution_id", "a.institution_id", .integer),
        ("http_method", "a.http_method", .text),
        ("path", "a.path", .text),
        ("status", "a.status", .integer),
        ("details", "a.details", .json),
    ])
}
