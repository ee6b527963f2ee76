-- POST /api/v2/files/{object id}/create_batch with 100 new files x (md5 + sha256) x 6 ingest events
-- (W13, the ingest worker's record step): authentication and the object, then one transaction
-- (chain head and object locked, files, primary storage records, checksums, the 600 events on the
-- chain with their side effects, the object's counts, the audit row), then the response's reads.
-- helper: what the server takes from the request body and computes in Swift: fresh file
-- identifiers and event UUIDs, every array parameter, placeholder hashes, the audit details; and
-- the object, one of the 100 ingest targets that wrk rotates over. Built from generate_series and
-- array_fill without sorting or hashing, because pgbench spends this CPU on the same two cores.
\set position random(1, 100)
WITH target AS (
        SELECT o.id, o.identifier, o.institution_id, o.storage_option,
               o.identifier || '/data/pgbench-' || md5(random()::text) || '/file-' AS prefix, clock_timestamp() AS at
        FROM intellectual_objects o
        WHERE o.id = (SELECT value::bigint FROM bench_rotation WHERE kind = 'targets' AND position = :position))
SELECT t.id AS r_target, t.identifier AS object_identifier, t.institution_id AS inst_id, t.storage_option,
       md5(random()::text) AS request_id, t.at::text AS created_at,
       ARRAY(SELECT t.prefix || lpad(n::text, 3, '0') || '.txt' FROM generate_series(1, 100) n)::text AS identifiers,
       array_fill('text/plain'::text, ARRAY[100])::text AS formats,
       ARRAY(SELECT 'https://s3.amazonaws.com/aptrust.preservation.storage/' || md5(t.prefix || n)
             FROM generate_series(1, 100) n)::text AS uris,
       ARRAY(SELECT 1000 + n FROM generate_series(1, 100) n)::text AS sizes,
       array_fill(NULL::timestamptz, ARRAY[100])::text AS fixities,
       ARRAY(SELECT CASE WHEN c % 2 = 1 THEN 'md5' ELSE 'sha256' END FROM generate_series(1, 200) c)::text AS algorithms,
       array_fill(t.at, ARRAY[200])::text AS checksum_datetimes,
       ARRAY(SELECT CASE WHEN c % 2 = 1 THEN md5(t.prefix || c) ELSE md5(t.prefix || c) || md5(t.prefix || c) END
             FROM generate_series(1, 200) c)::text AS digests,
       ARRAY(SELECT gen_random_uuid() FROM generate_series(1, 600))::text AS uuids,
       ARRAY(SELECT (ARRAY['fixity check', 'message digest calculation', 'identifier assignment', 'identifier assignment',
                           'replication', 'ingestion'])[(g - 1) % 6 + 1] FROM generate_series(1, 600) g)::text AS event_types,
       array_fill(t.at, ARRAY[600])::text AS date_times,
       array_fill('Success'::text, ARRAY[600])::text AS outcomes,
       array_fill('Worker detail'::text, ARRAY[600])::text AS event_details,
       ARRAY(SELECT CASE (g - 1) % 6 WHEN 0 THEN 'sha256:' || md5(t.prefix || g) || md5(t.prefix || g)
                                      WHEN 4 THEN 'https://s3.us-west-2.amazonaws.com/aptrust.preservation.oregon/'
                                                  || md5(t.prefix || ((g - 1) / 6 + 1) || 'r')
                                      ELSE 'detail of step ' || ((g - 1) % 6 + 1) END
             FROM generate_series(1, 600) g)::text AS outcome_details,
       array_fill('Worker information'::text, ARRAY[600])::text AS outcome_informations,
       array_fill('Exchange worker'::text, ARRAY[600])::text AS objects,
       array_fill('https://github.com/APTrust/preservation-services'::text, ARRAY[600])::text AS agents,
       array_fill(t.id, ARRAY[600])::text AS object_ids,
       array_fill(t.identifier, ARRAY[600])::text AS object_identifiers,
       ARRAY(SELECT t.prefix || lpad(((g - 1) / 6 + 1)::text, 3, '0') || '.txt' FROM generate_series(1, 600) g)::text
         AS file_identifiers,
       ARRAY(SELECT '{"agent":"https://github.com/APTrust/preservation-services","created_at":"' || t.at
                    || '","detail":"Worker detail","file":"' || t.prefix || g || '","sequence":'
             FROM generate_series(1, 600) g)::text AS canonical_prefixes,
       array_fill(NULL::bigint, ARRAY[600])::text AS reserved_ids,
       100 AS file_count, 100 * 1000 + 5050 AS file_size,
       'file.create_batch' AS action, 'intellectual_object' AS resource_type, 'POST' AS http_method,
       '/api/v2/files/' || t.id || '/create_batch' AS path, 201 AS status,
       json_build_object('files_created', 100, 'files_replayed', 0, 'checksums_created', 200,
                         'premis_events_created', 600,
                         'identifiers', ARRAY(SELECT t.prefix || lpad(n::text, 3, '0') || '.txt'
                                              FROM generate_series(1, 100) n))::text AS audit_details
FROM target t \gset
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
FROM intellectual_objects o JOIN institutions i ON i.id = o.institution_id WHERE o.id = :r_target;
BEGIN;
SELECT 1 FROM event_chain_heads
WHERE institution_id = :inst_id
  AND coalesce(nullif(current_setting('registry.chain_institution', true), ''), :inst_id)
      = :inst_id
FOR UPDATE;
SELECT state, storage_option FROM intellectual_objects WHERE id = :r_target FOR NO KEY UPDATE;
SELECT id, identifier, uri, size, file_format FROM generic_files WHERE identifier = ANY(:identifiers::text[]);
INSERT INTO generic_files (identifier, intellectual_object_id, intellectual_object_identifier, institution_id,
    file_format, uri, size, state, storage_option, last_fixity_check)
SELECT u.identifier, :r_target, :object_identifier, :inst_id, u.file_format,
    u.uri, u.size, 'A', :storage_option, coalesce(u.last_fixity_check, '2000-01-01T00:00:00Z')
FROM unnest(:identifiers::text[], :formats::text[], :uris::text[], :sizes::bigint[],
            :fixities::timestamptz[]) WITH ORDINALITY
     AS u(identifier, file_format, uri, size, last_fixity_check, position)
ORDER BY u.position
RETURNING id, identifier;
-- helper: the new files' ids in request order (the server has them from RETURNING).
WITH ids AS (
        SELECT f.id, u.n FROM unnest(:identifiers::text[]) WITH ORDINALITY AS u(identifier, n)
        JOIN generic_files f ON f.identifier = u.identifier)
SELECT (SELECT array_agg(id ORDER BY n) FROM ids)::text AS file_ids,
       (SELECT array_agg(id ORDER BY n, c) FROM ids, generate_series(1, 2) c)::text AS checksum_file_ids,
       (SELECT array_agg(id ORDER BY n, k) FROM ids, generate_series(1, 6) k)::text AS event_file_ids \gset
INSERT INTO storage_records (generic_file_id, url, kind)
SELECT u.file_id, u.url, 'primary' FROM unnest(:file_ids::bigint[], :uris::text[]) AS u(file_id, url)
ON CONFLICT (generic_file_id, url) DO NOTHING;
INSERT INTO checksums (generic_file_id, algorithm, datetime, digest)
SELECT u.file_id, u.algorithm, u.datetime, u.digest
FROM unnest(:checksum_file_ids::bigint[], :algorithms::text[], :checksum_datetimes::timestamptz[], :digests::text[])
     AS u(file_id, algorithm, datetime, digest);
-- Replays are looked up before the chain-head lock (EventStore.append).
SELECT id, identifier::text, event_type, date_time, detail, outcome, outcome_detail, outcome_information,
       object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id,
       generic_file_identifier
FROM premis_events WHERE identifier = ANY(:uuids::uuid[]);
-- The chain-head lock again (already held: EventRows.lockQuery) and the one statement of the
-- append (EventRows.insertQuery): sequences, AUD-43 hashes (from the canonical texts up to
-- "sequence":), the insert, the new head and the DOM-73/DOM-64 side effects; in one round trip.
\startpipeline
SELECT 1 FROM event_chain_heads
WHERE institution_id = :inst_id
  AND coalesce(nullif(current_setting('registry.chain_institution', true), ''), :inst_id)
      = :inst_id
FOR UPDATE;
WITH RECURSIVE head AS (
SELECT sequence, chain_hash, set_config('registry.chain_institution', :inst_id, true)
FROM event_chain_heads
WHERE institution_id = :inst_id
  AND coalesce(nullif(current_setting('registry.chain_institution', true), ''), :inst_id)
      = :inst_id
FOR UPDATE
), entries AS (
SELECT u.*, h.sequence + u.position AS sequence,
       sha256(convert_to(u.canonical_prefix || (h.sequence + u.position)::text || '}', 'UTF8')) AS entry_hash
FROM head h,
     unnest(:uuids::text[], :event_types::text[], :date_times::timestamptz[], :outcomes::text[],
            :event_details::text[], :outcome_details::text[], :outcome_informations::text[], :objects::text[],
            :agents::text[], :object_ids::bigint[], :object_identifiers::text[], :event_file_ids::bigint[],
            :file_identifiers::text[], :canonical_prefixes::text[], :reserved_ids::bigint[]) WITH ORDINALITY
     AS u(identifier, event_type, date_time, outcome, detail, outcome_detail, outcome_information, object,
          agent, object_id, object_identifier, file_id, file_identifier, canonical_prefix, reserved_id,
          position)
), entry_hashes AS MATERIALIZED (
SELECT array_agg(entry_hash ORDER BY position) AS hashes, count(*) AS total FROM entries
), chain (position, chain_hash) AS (
SELECT 0::bigint, h.chain_hash FROM head h
UNION ALL
SELECT c.position + 1, sha256(c.chain_hash || e.hashes[c.position + 1])
FROM chain c, entry_hashes e WHERE c.position < e.total
), inserted AS (
INSERT INTO premis_events (id, identifier, event_type, date_time, outcome, detail, outcome_detail,
    outcome_information, object, agent, intellectual_object_id, intellectual_object_identifier,
    generic_file_id, generic_file_identifier, institution_id, sequence, entry_hash, chain_hash, created_at)
OVERRIDING SYSTEM VALUE
SELECT coalesce(e.reserved_id, nextval('premis_events_id_seq')), e.identifier::uuid, e.event_type,
    e.date_time, e.outcome, e.detail, e.outcome_detail, e.outcome_information, e.object, e.agent,
    e.object_id, e.object_identifier, e.file_id, e.file_identifier, :inst_id, e.sequence,
    e.entry_hash, e.chain_hash, :created_at
FROM (SELECT entries.*, c.chain_hash FROM entries JOIN chain c ON c.position = entries.position
      ORDER BY entries.sequence) e
RETURNING id, sequence, chain_hash, generic_file_id, event_type, outcome, outcome_detail, date_time
), moved_head AS (
UPDATE event_chain_heads h SET sequence = last.sequence, chain_hash = last.chain_hash, updated_at = now()
FROM (SELECT sequence, chain_hash FROM inserted ORDER BY sequence DESC LIMIT 1) last
WHERE h.institution_id = :inst_id
), fixity_checks AS (
UPDATE generic_files f SET last_fixity_check = checked.at, updated_at = greatest(f.updated_at, now())
FROM (SELECT generic_file_id AS id, max(date_time) AS at FROM inserted
      WHERE event_type = 'fixity check' AND generic_file_id IS NOT NULL GROUP BY generic_file_id) checked
WHERE f.id = checked.id AND checked.at > f.last_fixity_check
), replicas AS (
INSERT INTO storage_records (generic_file_id, url, kind, source_event_id)
SELECT generic_file_id, outcome_detail, 'replica', id FROM inserted
WHERE event_type = 'replication' AND outcome = 'Success' AND strpos(outcome_detail, '://') > 0
  AND generic_file_id IS NOT NULL
ORDER BY sequence
ON CONFLICT (generic_file_id, url) DO NOTHING
), head_locked AS (
SELECT 1 FROM (SELECT count(*) AS locked FROM head) h
WHERE CASE WHEN h.locked = 0
           THEN ('AUD-45: no chain head of institution ' || :inst_id || ' could be locked (' || h.locked
                 || ' rows), or this transaction already appended to another institution''s chain')::uuid IS NOT NULL
           ELSE false END
)
SELECT id FROM inserted WHERE NOT EXISTS (SELECT 1 FROM head_locked) ORDER BY sequence;
\endpipeline
UPDATE intellectual_objects SET file_count = file_count + :file_count, file_size = file_size + :file_size
WHERE id = :r_target;
 INSERT INTO audit_log (request_id, actor_user_id, actor_email, auth_method, remote_addr, action,
                        resource_type, resource_id, resource_identifier, institution_id, http_method,
                        path, status, details)
SELECT :request_id, :user_id, :email, :auth_method,
       :remote_addr, :action, :resource_type, :r_target,
       :object_identifier, :inst_id, :http_method, :path,
       :status, :audit_details::jsonb;
COMMIT;
SELECT f.id, f.identifier, f.intellectual_object_id, f.intellectual_object_identifier, f.institution_id, f.file_format, f.uri, f.size, f.state, f.storage_option, f.last_fixity_check, f.created_at, f.updated_at FROM generic_files f WHERE f.id = ANY(:file_ids::bigint[]);
SELECT c.generic_file_id, c.id, c.generic_file_id, f.identifier, c.algorithm, c.datetime, c.digest, c.created_at, c.created_at FROM checksums c JOIN generic_files f ON f.id = c.generic_file_id
WHERE c.generic_file_id = ANY(:file_ids::bigint[]) ORDER BY c.generic_file_id, c.datetime, c.id;
SELECT e.generic_file_id, e.id, e.identifier, e.event_type, e.date_time, e.detail, e.outcome, e.outcome_detail, e.outcome_information, e.object, e.agent, e.intellectual_object_id, e.intellectual_object_identifier, e.generic_file_id, e.generic_file_identifier, e.institution_id, i.identifier, e.sequence, e.entry_hash, e.chain_hash, e.created_at, e.created_at FROM premis_events e JOIN institutions i ON i.id = e.institution_id
WHERE e.generic_file_id = ANY(:file_ids::bigint[]) ORDER BY e.generic_file_id, e.date_time, e.id;
