-- GET /api/v2/objects/{inst}?page=N&per_page=100 (route #3): authentication, the institution in
-- the path, one page of its objects (per_page + 1 rows) with the count in the same statement (one snapshot).
\set page random(1, 10)
\set limit 101
\set offset (:page - 1) * 100
WITH k AS MATERIALIZED (SELECT * FROM api_keys WHERE key_hash = :key_hash)
SELECT u.id, u.email, u.role, u.institution_id, i.identifier, k.id,
       (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
FROM k
JOIN users u ON u.id = k.user_id
JOIN institutions i ON i.id = u.institution_id
WHERE u.email = :email
  AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
  AND u.deactivated_at IS NULL AND i.state = 'A';
SELECT id, identifier, type, state FROM institutions WHERE identifier = :institution \gset inst_
SELECT o.id, o.identifier, o.bag_name, o.title, o.description, o.alt_identifier, o.access, i.identifier, o.institution_id, o.state, o.etag, o.bag_group_identifier, o.storage_option, o.bagit_profile_identifier, o.source_organization, o.internal_sender_identifier, o.internal_sender_description, o.file_count, o.file_size, o.created_at, o.updated_at, (SELECT count(*) FROM intellectual_objects o WHERE (o.state = 'A') AND (o.institution_id = :inst_id)) FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id WHERE (o.state = 'A') AND (o.institution_id = :inst_id) ORDER BY o.updated_at DESC, o.id DESC LIMIT :limit OFFSET :offset;
