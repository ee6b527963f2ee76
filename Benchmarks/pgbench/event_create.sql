-- POST /api/v2/events/ with a 'fixity check' event of a file (W19, the fixity worker): outside the
-- transaction authentication, then one transaction: the file, the replay check, the audit row
-- (reserving the event's id), the chain head (locked), the insert, the new head, the fixity side
-- effect (DOM-73) and COMMIT; then the response.
-- helper: what the server computes in Swift for this request (fresh event UUID and request id,
-- parents from the file lookup, array parameters, placeholder canonical texts for AUD-43)
-- and the file, one of the 100 that wrk rotates over.
\set position random(1, 100)
SELECT f.identifier AS r_file, u.uuid, ARRAY[u.uuid]::text AS uuids, md5(random()::text) AS request_id,
       o.institution_id AS inst_id, clock_timestamp()::text AS created_at,
       ARRAY['fixity check']::text AS event_types, ARRAY[clock_timestamp()]::text AS date_times,
       ARRAY['Success']::text AS outcomes, ARRAY['Fixity check against registered hash']::text AS event_details,
       ARRAY['sha256:' || encode(sha256(u.uuid::bytea), 'hex')]::text AS outcome_details,
       ARRAY['Fixity matches']::text AS outcome_informations, ARRAY['Go language crypto/sha256']::text AS objects,
       ARRAY['https://github.com/APTrust/preserv']::text AS agents,
       ARRAY[o.id]::text AS object_ids, ARRAY[o.identifier]::text AS object_identifiers,
       ARRAY[f.id]::text AS file_ids, ARRAY[f.identifier]::text AS file_identifiers,
       ARRAY['{"agent":"https://github.com/APTrust/preserv","created_at":"' || clock_timestamp() || '","detail":'
             || u.uuid || ',"sequence":']::text AS canonical_prefixes,
       'event.create' AS action, 'premis_event' AS resource_type, 'POST' AS http_method, '/api/v2/events/' AS path,
       201 AS status, '{}' AS audit_details
FROM (SELECT gen_random_uuid()::text AS uuid) u, generic_files f JOIN intellectual_objects o ON o.id = f.intellectual_object_id
WHERE f.identifier = (SELECT value FROM bench_rotation WHERE kind = 'files' AND position = :position) \gset
WITH k AS MATERIALIZED (SELECT * FROM api_keys WHERE key_hash = :key_hash)
SELECT u.id, u.email, u.role, u.institution_id, i.identifier, k.id,
       (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
FROM k
JOIN users u ON u.id = k.user_id
JOIN institutions i ON i.id = u.institution_id
WHERE u.email = :email
  AND k.revoked_at IS NULL AND (k.expires_at IS NULL OR k.expires_at > now())
  AND u.deactivated_at IS NULL AND i.state = 'A';
BEGIN;
SELECT f.id, f.identifier, f.state, f.size, f.storage_option,
       o.id, o.identifier, o.institution_id, i.identifier, o.access, o.state, o.storage_option, o.bag_name
FROM generic_files f
JOIN intellectual_objects o ON o.id = f.intellectual_object_id
JOIN institutions i ON i.id = o.institution_id WHERE f.identifier = :r_file;
-- One round trip (EventCreation, libpq pipeline mode): the replay lookup (EventReplay.query), and
-- the audit row, written before the chain-head lock unless the event exists, reserving the event's
-- id (AuditLog.reservingEventIDQuery).
\startpipeline
SELECT id, identifier::text, event_type, date_time, detail, outcome, outcome_detail, outcome_information,
       object, agent, intellectual_object_id, intellectual_object_identifier, generic_file_id,
       generic_file_identifier
FROM premis_events WHERE identifier = :uuid::uuid;
 INSERT INTO audit_log (request_id, actor_user_id, actor_email, auth_method, remote_addr, action,
                        resource_type, resource_id, resource_identifier, institution_id, http_method,
                        path, status, details)
SELECT :request_id, :user_id, :email, :auth_method,
       :remote_addr, :action, :resource_type, nextval('premis_events_id_seq'),
       :uuid, :inst_id, :http_method, :path,
       :status, :audit_details::jsonb WHERE NOT EXISTS (SELECT 1 FROM premis_events WHERE identifier = :uuid::uuid) RETURNING resource_id;
\endpipeline
-- helper: the reserved id, which the server reads from RETURNING (pgbench cannot \gset in a
-- pipeline), and as the one-element array the server binds
SELECT currval('premis_events_id_seq') AS resource_id, '{' || currval('premis_events_id_seq') || '}' AS reserved_ids \gset
-- One round trip (PendingEventAppend.insertCommitting, libpq pipeline mode): the chain-head lock
-- (EventRows.lockQuery), the one statement of the append (EventRows.insertQuery: sequences, AUD-43
-- hashes from the canonical texts up to "sequence":, the insert, the new head and the DOM-73/DOM-64
-- side effects), COMMIT, and the representation read after COMMIT (outside the lock).
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
            :agents::text[], :object_ids::bigint[], :object_identifiers::text[], :file_ids::bigint[],
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
COMMIT;
SELECT e.id, e.identifier, e.event_type, e.date_time, e.detail, e.outcome, e.outcome_detail, e.outcome_information, e.object, e.agent, e.intellectual_object_id, e.intellectual_object_identifier, e.generic_file_id, e.generic_file_identifier, e.institution_id, i.identifier, e.sequence, e.entry_hash, e.chain_hash, e.created_at, e.created_at FROM premis_events e JOIN institutions i ON i.id = e.institution_id WHERE e.id = :resource_id;
\endpipeline
