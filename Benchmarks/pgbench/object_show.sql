-- GET /api/v2/objects/{obj} (route #4): authentication, then the object with its representation.
\set pick random(1, 50)
\if :have_value = 0 OR :pick = 1
-- helper: the object to ask for, one of the 100 that wrk rotates over (pgbench cannot pick from a
-- list): each client keeps one for about 50 transactions, so this costs about 2 % of a lookup.
\set position random(1, 100)
SELECT value AS r_object, 1 AS have_value FROM bench_rotation WHERE kind = 'objects' AND position = :position \gset
\endif
-- Authentication and the object leave in one round trip (ObjectShowOnLoop: a pipeline on the event
-- loop's own session).
\startpipeline
WITH k AS MATERIALIZED (SELECT * FROM api_keys WHERE key_hash = :key_hash)
SELECT u.id, u.email, u.role, u.institution_id, i.identifier, k.id,
       (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
FROM k
JOIN users u ON u.id = k.user_id
JOIN institutions i ON i.id = u.institution_id
WHERE u.email = :email
  AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
  AND u.deactivated_at IS NULL AND i.state = 'A';
SELECT o.id, o.identifier, o.bag_name, o.title, o.description, o.alt_identifier, o.access, i.identifier, o.institution_id, o.state, o.etag, o.bag_group_identifier, o.storage_option, o.bagit_profile_identifier, o.source_organization, o.internal_sender_identifier, o.internal_sender_description, o.file_count, o.file_size, o.created_at, o.updated_at, o.institution_id, o.access FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id WHERE o.identifier = :r_object;
\endpipeline
