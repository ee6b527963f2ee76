-- GET /api/v2/items/?node_empty=true&page=1&per_page=100&queued=false&retry=true&status=Pending
-- (W5, the workers' queue poller): authentication, one page (per_page + 1 rows) with the count in the same statement (one snapshot).
\set limit 101
\set offset 0
WITH k AS MATERIALIZED (SELECT * FROM api_keys WHERE key_hash = :key_hash)
SELECT u.id, u.email, u.role, u.institution_id, i.identifier, k.id,
       (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
FROM k
JOIN users u ON u.id = k.user_id
JOIN institutions i ON i.id = u.institution_id
WHERE u.email = :email
  AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
  AND u.deactivated_at IS NULL AND i.state = 'A';
SELECT w.id, w.name, w.etag, w.bag_date, w.bucket, w."user", w.note, w.action, w.stage, w.status, w.outcome, w.date, w.retry, w.needs_admin_review, w.object_identifier, w.generic_file_identifier, w.intellectual_object_id, w.generic_file_id, w.institution_id, w.node, w.pid, w.queued_at, w.size, w.stage_started_at, w.inst_approver, w.aptrust_approver, w.deletion_request_id, ws.id, w.created_at, w.updated_at, (SELECT count(*) FROM work_items w WHERE (w.status = :status) AND (w.queued_at IS NULL) AND (w.node IS NULL) AND (w.retry = :retry)) FROM work_items w LEFT JOIN work_item_states ws ON ws.work_item_id = w.id WHERE (w.status = :status) AND (w.queued_at IS NULL) AND (w.node IS NULL) AND (w.retry = :retry) ORDER BY w.date DESC, w.id DESC LIMIT :limit OFFSET :offset;
