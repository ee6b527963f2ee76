-- GET /api/v2/events/?object_identifier={obj}&page=1&per_page=500 (W20): authentication, the
-- object named by the filter, its events (per_page + 1 rows) with the count in the same statement (one snapshot).
-- The server sends the authentication and the object lookup in one pipeline (ListOnLoop); pgbench
-- cannot, since the lookup's \gset is not allowed in pipeline mode, so here they take one round
-- trip more than on the server.
\set pick random(1, 50)
\if :have_value = 0 OR :pick = 1
-- helper: the object to ask for, one of the 100 that wrk rotates over (pgbench cannot pick from a
-- list): each client keeps one for about 50 transactions, so this costs about 2 % of a lookup.
\set position random(1, 100)
SELECT value AS r_object, 1 AS have_value FROM bench_rotation WHERE kind = 'objects' AND position = :position \gset
\endif
\set limit 501
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
SELECT o.id, o.identifier, o.institution_id, i.identifier, o.access, o.state, o.storage_option, o.bag_name
FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id WHERE o.identifier = :r_object \gset obj_
SELECT e.id, e.identifier, e.event_type, e.date_time, e.detail, e.outcome, e.outcome_detail, e.outcome_information, e.object, e.agent, e.intellectual_object_id, e.intellectual_object_identifier, e.generic_file_id, e.generic_file_identifier, e.institution_id, i.identifier, e.sequence, e.entry_hash, e.chain_hash, e.created_at, e.created_at, (SELECT count(*) FROM premis_events e WHERE (e.intellectual_object_id = :obj_id)) FROM premis_events e JOIN institutions i ON i.id = e.institution_id WHERE (e.intellectual_object_id = :obj_id) ORDER BY e.date_time DESC, e.id DESC LIMIT :limit OFFSET :offset;
